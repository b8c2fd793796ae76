import Hummingbird
import HummingbirdAuth
import NIOCore
import SetasideCore
import SetasideOperations

/// The request context of every route: who is calling, and from where.
public struct AppRequestContext: AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The account of the bearer token, set by `BearerAuthenticator` on the protected routes.
    public var identity: Account?
    /// The caller's address, for the login rate limit.
    public let remoteAddress: String
    /// The account, for the request log (which sees the context as it was before authentication).
    public let caller = CallerNote()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The authenticated account as the operations' caller; `RequireAccountMiddleware`
    /// guarantees one on the protected routes.
    func requireCaller() throws -> Caller {
        guard let identity else { throw Problem.unauthorized() }
        return .account(identity)
    }
}
