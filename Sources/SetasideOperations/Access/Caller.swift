import SetasideCore

/// Who asks for an operation.
public enum Caller: Sendable {
    /// Someone at the server's command line: every operation is allowed (they could run
    /// SQL as well); the trail names them `cli:USER`.
    case commandLine(user: String)
    /// An account of the API or the pages, held to `AccessPolicy`.
    case account(Account)

    /// How the audit trail names the caller.
    public var actor: String {
        switch self {
        case .commandLine(let user): "cli:\(user)"
        case .account(let account): account.actor
        }
    }
}
