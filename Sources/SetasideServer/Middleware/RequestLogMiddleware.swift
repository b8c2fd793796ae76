import Foundation
import Hummingbird
import Logging

/// One structured log line per request: method, path, status, duration in ms, and the
/// account when authentication found one (through the context's `CallerNote`: the
/// context this middleware holds is its own copy, which authentication does not change).
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "ms": .string(String(format: "%.1f", milliseconds)),
        ]
        if let account = context.caller.account { metadata["account"] = .string(account) }
        context.logger.info("request", metadata: metadata)
        return response
    }
}
