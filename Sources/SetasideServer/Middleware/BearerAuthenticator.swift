import Hummingbird
import HummingbirdAuth
import SetasideCore
import SetasideOperations

/// Finds the account of the request's bearer token (`Authorization: Bearer …`), if the
/// token is known, not revoked and its account not disabled.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext
    let operations: Operations

    func authenticate(request: Request, context: Context) async throws -> Account? {
        guard let token = request.headers.bearer?.token, !token.isEmpty,
              let account = try await operations.account(bearerToken: token)
        else { return nil }
        context.caller.account = account.login
        return account
    }
}
