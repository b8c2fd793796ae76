import Hummingbird
import NIOCore
import SetasideCore

/// The request context of every route: who is calling, and from where.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthenticationMiddleware` for every route but the public ones.
    public var account: Account?
    /// The caller's address, for the login rate limit.
    public let remoteAddress: String
    /// The account, for the request log (which sees the context as it was before authentication).
    public let caller = CallerNote()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.account = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The authenticated account; the middleware guarantees it on protected routes.
    func requireAccount() throws -> Account {
        guard let account else { throw Problem.unauthorized() }
        return account
    }
}
