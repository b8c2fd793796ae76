import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import NIOPosix
import SetasideCore
import SetasideStore

/// `POST /api/v1/session`: a password login that answers with a new bearer token.
/// Repeated failures from one address are slowed down (429 with Retry-After).
///
/// Each attempt counts from the moment it is admitted (`LoginThrottle`): attempts sent
/// all at once are limited like attempts sent one after another. bcrypt runs on NIO's thread pool, not on the threads that serve
/// requests, and an unknown login costs the same bcrypt as a known one.
struct SessionController {
    let store: Store
    let configuration: ServerConfiguration
    let throttle: LoginThrottle

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.post("session", use: login)
        router.delete("session", use: logout)
    }

    /// `DELETE /api/v1/session`: revokes the bearer token the request carries (a client
    /// logging out); 204, or 401 when the token is unknown or already revoked. The path is
    /// public to the authentication middleware, so the token is checked here.
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = request.headers.bearer?.token, !token.isEmpty,
              let account = try await store.account(bearerToken: token),
              try await store.revokeToken(token, actor: account.actor)
        else { throw Problem.unauthorized() }
        return Response(status: .noContent)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let wait = await throttle.admit(context.remoteAddress) {
            var response = Problem(.tooManyRequests, type: "too-many-logins", title: "Too many failed logins",
                                   detail: "too many failed logins from this address; try again in \(wait) seconds").response
            response.headers[.retryAfter] = String(wait)
            return response
        }
        var succeeded = false
        defer {
            let (throttle, address, succeeded) = (throttle, context.remoteAddress, succeeded)
            Task { await throttle.finished(address, succeeded: succeeded) }
        }
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, allowed: ["login", "password"])
        let login = body.string("login"), password = body.string("password")
        try body.finish()
        guard let login, let password else { throw Problem.validation(body.problems) }
        let stored = try await store.passwordLogin(login)
        let matches = try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(password, hash: stored?.1 ?? Self.unknownLoginHash)
        }
        if let (account, _) = stored, matches {
            succeeded = true
            let token = try await store.issueToken(login: account.login, actor: account.actor)
            return try JSONResponse("{\"token\": \(JSONText.string(token)), \"login\": \(JSONText.string(account.login)), "
                                    + "\"role\": \(JSONText.string(account.role.rawValue))}", status: .created)
                .response(from: request, context: context)
        }
        throw Problem(.unauthorized, type: "login-failed", title: "Login failed", detail: "wrong login or password")
    }

    /// A hash no password is checked against successfully in practice (a random
    /// password, the cost of `account add`), so an unknown login takes as long as a
    /// wrong password.
    static let unknownLoginHash = Bcrypt.hash(UUID().uuidString + UUID().uuidString, cost: 12)
}
