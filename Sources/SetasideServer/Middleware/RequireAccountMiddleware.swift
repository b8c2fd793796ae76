import Hummingbird
import SetasideCore

/// Lets through only requests an authenticator found an account for: anything else is
/// 401 with a problem document saying how to send a token.
struct RequireAccountMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let account = context.identity else { throw Problem.unauthorized() }
        var context = context
        context.logger[metadataKey: "account"] = .string(account.login)
        return try await next(request, context)
    }
}
