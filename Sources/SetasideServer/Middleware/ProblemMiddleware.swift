import Hummingbird
import Logging
import NIOCore
import SetasideCore
import SetasideOperations
import SetasideStore

/// Turns every error into `application/problem+json`, in one place.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.problem(for: error, logger: context.logger).response
        }
    }

    static func problem(for error: any Error, logger: Logger) -> Problem {
        // A statement refused inside a transaction may reach here as the driver's error.
        switch StoreError.wrapping(error) ?? error {
        case let problem as Problem:
            return problem
        case AccessError.forbidden(let detail):
            return .forbidden(detail)
        case AccessError.notFound(let what):
            return .notFound("\(what) not found")
        case ImportError.rejected(let problems):
            // A problem of no file row is one of the request's own fields: named as JSON names them.
            return .validation(problems.map { $0.place == .request ? $0.inJSONTerms : $0 })
        case ImportError.unreadable(let reason):
            return Problem(.unprocessableContent, type: "unreadable-file", title: "Unreadable file", detail: reason)
        case let error as StoreError:
            switch error {
            case .conflict(let detail): return Problem(.conflict, type: "conflict", title: "Conflict", detail: detail)
            case .notFound(let what): return .notFound("\(what) not found")
            case .busy(let detail):
                return Problem(.serviceUnavailable, type: "busy", title: "Busy", detail: detail)
            case .unreachable, .connectionLost:
                logger.error("store error: \(error)")
                return Problem(.serviceUnavailable, type: "unavailable", title: "Database unavailable",
                               detail: "the database cannot be reached now; try again in a moment")
            case .refused:
                return Problem(.unprocessableContent, type: "refused", title: "Refused by the database",
                               detail: error.description)
            case .tooLarge(let detail):
                return Problem(.unprocessableContent, type: "amounts-too-large", title: "Amounts too large", detail: detail)
            case .notMigrated: return Problem(.serviceUnavailable, type: "not-migrated", title: "Schema not migrated",
                                              detail: error.description)
            default:
                logger.error("store error: \(error)")
                return Problem(.internalServerError, type: "internal", title: "Internal error",
                               detail: "the request could not be completed; the server log has the details")
            }
        case is NIOTooManyBytesError:
            return Problem(.contentTooLarge, type: "too-large", title: "Body too large", detail: "the request body is too large")
        case let error as HTTPResponseError:
            let status = error.status
            return Problem(status, type: status == .notFound ? "not-found" : "http", title: status.reasonPhrase,
                           detail: status == .notFound ? "no such route" : status.reasonPhrase)
        default:
            logger.error("unexpected error: \(String(reflecting: error))")
            return Problem(.internalServerError, type: "internal", title: "Internal error",
                           detail: "the request could not be completed; the server log has the details")
        }
    }
}
