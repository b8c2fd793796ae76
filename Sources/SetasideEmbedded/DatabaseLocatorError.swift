import SetasideStore
/// Why no database could be chosen for a command.
public enum DatabaseLocatorError: Error, Sendable, CustomStringConvertible {
    /// `DATABASE_URL` is set but cannot be parsed.
    case invalidDatabaseURL(DatabaseURLError)
    /// Neither `DATABASE_URL` nor an embedded cluster exists.
    case noDatabase
    /// The embedded cluster exists but is not running.
    case embeddedStopped(directory: String)

    public var description: String {
        switch self {
        case .invalidDatabaseURL(let error):
            return "DATABASE_URL is not usable: \(error)"
        case .noDatabase:
            return "no database: set DATABASE_URL or run `setaside db start` in this folder"
        case .embeddedStopped(let directory):
            return "the database in \(directory) is stopped: run `setaside db start` in this folder, or set DATABASE_URL"
        }
    }
}
