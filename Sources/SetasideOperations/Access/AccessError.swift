/// Why an operation was not done for its caller.
public enum AccessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The caller may not do this (the message names the caller and what was refused).
    case forbidden(String)
    /// What the operation names does not exist.
    case notFound(String)

    public var description: String {
        switch self {
        case .forbidden(let what): what
        case .notFound(let what): "\(what) not found"
        }
    }
}
