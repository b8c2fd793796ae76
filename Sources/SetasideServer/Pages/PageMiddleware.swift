import Hummingbird
import HummingbirdAuth
import SetasideCore
import SetasideOperations

/// Finds the account of the session cookie, if its token is known, not revoked and its
/// account not disabled: the same check as a bearer token's.
struct PageAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext
    let operations: Operations

    func authenticate(request: Request, context: Context) async throws -> Account? {
        guard let token = request.cookies[PageSession.cookie]?.value, !token.isEmpty,
              let account = try await operations.account(bearerToken: token)
        else { return nil }
        context.caller.account = account.login
        return account
    }
}

/// Sends a reader who is not signed in to the sign-in page.
struct RequirePageAccountMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.identity != nil else { return .redirect(to: "/sign-in", type: .normal) }
        return try await next(request, context)
    }
}

/// Shows an error of a page as a page, in the reader's language: the status the API would
/// answer with (the same mapping), and the catalogue's message for it.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemMiddleware<Context>.problem(for: error, logger: context.logger)
            if problem.status == .unauthorized { return .redirect(to: "/sign-in", type: .normal) }
            let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
            let key: String
            switch problem.status {
            case .forbidden: key = problem.type == "form-expired" ? "formExpired" : "forbidden"
            case .notFound: key = "notFound"
            case .serviceUnavailable: key = "unavailable"
            case .badRequest, .unprocessableContent: key = "badRequest"
            default: key = "internalError"
            }
            return visit.page("error", ["message": visit.words[key]], status: problem.status)
        }
    }
}
