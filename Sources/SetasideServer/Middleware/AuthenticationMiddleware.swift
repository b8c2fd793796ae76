import Hummingbird
import HummingbirdAuth
import SetasideCore
import SetasideStore

/// Resolves the bearer token of every request but the public routes; an unknown,
/// revoked or missing token is 401.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: Store
    /// Token → account for ten seconds, emptied at once when accounts or tokens change
    /// (`AccountChangeListener`); the lifetime bounds how stale an entry can be if
    /// notices are lost.
    let accounts: ExpiringCache<String, Account>
    static let publicPaths: Set<String> = ["/healthz", "/api/v1/openapi.json", "/api/v1/session"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let token = request.headers.bearer?.token, !token.isEmpty,
              let account = try await accounts.value(for: token, load: { try await store.account(bearerToken: token) })
        else { throw Problem.unauthorized() }
        var context = context
        context.account = account
        context.logger[metadataKey: "account"] = .string(account.login)
        context.caller.account = account.login
        return try await next(request, context)
    }
}
