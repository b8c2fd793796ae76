import PostgresNIO

/// What went wrong talking to the database, in words a user can act on.
public enum StoreError: Error, CustomStringConvertible {
    case unreachable(String, String)
    /// The connection to the database failed during a statement (the server stopped or
    /// restarted, the network went): try again (an order sent again is a repeat).
    case connectionLost(String)
    /// An applied migration's file has changed since it was applied.
    case migrationChanged(name: String, applied: String, now: String)
    /// The database has migrations this binary does not know: it is older than the schema.
    case unknownMigrations([String])
    case migrationFailed(name: String, statement: Int, reason: String)
    /// The schema is behind this binary: run `setaside migrate`.
    case notMigrated(pending: [String])
    /// The role connected may not read the schema: it was never granted its rights.
    case notGranted(role: String)
    /// A superuser's connection should act as the application role, which does not exist yet.
    case noApplicationRole(String)
    case corruptData(String)
    /// Stored amounts add up beyond what the rules can count in `Int64` fen.
    case tooLarge(String)
    /// What the write needs is held by another write for longer than it waits: try again.
    case busy(String)
    case notFound(String)
    /// The write clashes with what is stored.
    case conflict(String)
    /// The database refused the write for what it holds: a constraint or a trigger of
    /// the schema (the ledger's append-only rule among them); the text is its message.
    case refused(String)
    /// The server refused a statement; the text is its message and SQLSTATE.
    case database(String)

    public var description: String {
        switch self {
        case .connectionLost(let reason):
            "the connection to the database was lost (\(reason)); try again"
        case .unreachable(let url, let reason):
            "cannot reach the database at \(url): \(reason)"
        case .migrationChanged(let name, let applied, let now):
            "migration \(name) was changed after it was applied (checksum \(applied.prefix(12))… applied, \(now.prefix(12))… now); add a new migration instead of editing an applied one"
        case .unknownMigrations(let names):
            "the database has migrations this setaside does not know (\(names.joined(separator: ", "))): use a newer setaside"
        case .migrationFailed(let name, let statement, let reason):
            "migration \(name) failed at statement \(statement): \(reason); nothing of it was applied"
        case .notMigrated(let pending):
            "the database schema is not up to date (\(pending.count) migration\(pending.count == 1 ? "" : "s") pending, first \(pending.first ?? "")): run `setaside migrate`"
        case .notGranted(let role):
            "the role \(role) holds no rights on this database yet: run `setaside migrate` (as the owner or a superuser) to grant them"
        case .noApplicationRole(let role):
            "the role \(role), which setaside acts as on a superuser's connection, does not exist yet: run `setaside migrate` first"
        case .corruptData(let what):
            "unexpected data in the database: \(what)"
        case .tooLarge(let what):
            what
        case .busy(let what):
            what
        case .notFound(let what):
            "\(what) not found"
        case .conflict(let what):
            what
        case .refused(let message):
            "the database refused the write: \(message)"
        case .database(let message):
            "the database refused: \(message)"
        }
    }

    /// A database error as what it means to the caller, by its SQLSTATE: a unique key
    /// taken is a conflict; a constraint, a bad value, the ledger's triggers (SA001) or a
    /// right the role lacks (42501) a refusal; a deadlock, a serialization failure, a lock or statement timeout or too
    /// many connections is busy (try again); a lost connection unreachable. Nil for an
    /// error that is not the database's (or is a `StoreError` already).
    public static func wrapping(_ error: any Error) -> StoreError? {
        guard let error = error as? PSQLError else { return nil }
        let text = describe(error)
        guard let state = error.serverInfo?[.sqlState] else {
            return .connectionLost(text)
        }
        switch state {
        case "23505": return .conflict(text)
        case "40001", "40P01", "55P03", "57014", "53300": return .busy("the database is busy (\(text)); try again in a moment")
        case "SA001", "42501": return .refused(text)
        default:
            if state.hasPrefix("23") || state.hasPrefix("22") { return .refused(text) }
            if state.hasPrefix("08") || state.hasPrefix("57") { return .connectionLost(text) }
            return .database(text)
        }
    }

    /// The server's message and SQLSTATE for a database error, else the error's text.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                let detail = error.serverInfo?[.detail].map { ": \($0)" } ?? ""
                return message + detail + state
            }
            return "\(error.code)"
        }
        return "\(error)"
    }

    /// The SQLSTATE of a database error, if it is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}
