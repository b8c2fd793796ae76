import Hummingbird
import SetasideStore

/// While the database does not answer (`DatabaseWatch`), every request but the OpenAPI
/// document is 503 with Retry-After at once; a request under way when it stops answering
/// is cut off with the same answer instead of waiting on the pool.
struct DatabaseGateMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let watch: DatabaseWatch

    static let away = StoreError.unreachable("the server's database", "it does not answer")

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/api/v1/openapi.json" { return try await next(request, context) }
        guard watch.isAnswering else { throw Self.away }
        return try await withoutActuallyEscaping(next) { next in
            // Awaited before this returns: `next` does not outlive the call.
            let call = UncheckedCall(next)
            // The request runs in a task of its own, which the watch cancels on an outage
            // (one task a request, where a task group racing the request against the
            // outage took two).
            let work = Task { try await call.run(request, context) }
            guard let listed = watch.onOutage({ work.cancel() }) else {
                work.cancel()
                _ = try? await work.value
                throw Self.away
            }
            defer { watch.forget(listed) }
            do {
                return try await withTaskCancellationHandler {
                    try await work.value
                } onCancel: {
                    work.cancel()
                }
            } catch {
                // Cut off because the database went away: say that, not what the cut did.
                if !watch.isAnswering { throw Self.away }
                throw error
            }
        }
    }

    /// The rest of the chain, carried into the task that runs it.
    struct UncheckedCall: @unchecked Sendable {
        let run: (Request, Context) async throws -> Response
        init(_ run: @escaping (Request, Context) async throws -> Response) { self.run = run }
    }
}
