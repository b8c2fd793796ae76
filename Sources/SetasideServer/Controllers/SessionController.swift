import Hummingbird
import HummingbirdAuth
import SetasideCore
import SetasideOperations

/// `POST /api/v1/session`: a password login that answers with a new bearer token;
/// `DELETE /api/v1/session`: a logout. Repeated failures from one address are slowed
/// down (429 with Retry-After) by the operations' login throttle.
struct SessionController {
    let operations: Operations
    let configuration: ServerConfiguration

    /// Both routes are outside the protected group: a login has no token yet, and a
    /// logout checks the token it revokes itself.
    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.post("session", use: login)
        router.delete("session", use: logout)
    }

    /// Revokes the bearer token the request carries; 204, or 401 when the token is
    /// unknown or already revoked.
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = request.headers.bearer?.token, !token.isEmpty,
              try await operations.logout(token: token)
        else { throw Problem.unauthorized() }
        return Response(status: .noContent)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, as: .login)
        // Taken as sent: a login no account could have is a wrong login (401), not a 422.
        let login = body.string("login", maxLength: nil), password = body.string("password", maxLength: nil)
        try body.finish()
        guard let login, let password else { throw Problem.validation(body.problems) }
        switch try await operations.login(login, password: password, from: context.remoteAddress) {
        case .succeeded(let token, let account):
            return try JSONResponse("{\"token\": \(JSONText.string(token)), \"login\": \(JSONText.string(account.login)), "
                                    + "\"role\": \(JSONText.string(account.role.rawValue))}", status: .created)
                .response(from: request, context: context)
        case .failed:
            throw Problem(.unauthorized, type: "login-failed", title: "Login failed", detail: "wrong login or password")
        case .throttled(let wait):
            var response = Problem(.tooManyRequests, type: "too-many-logins", title: "Too many failed logins",
                                   detail: "too many failed logins from this address; try again in \(wait) seconds").response
            response.headers[.retryAfter] = String(wait)
            return response
        }
    }
}
