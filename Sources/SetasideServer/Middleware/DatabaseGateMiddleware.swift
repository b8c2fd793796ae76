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
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await call.run(request, context) }
                group.addTask {
                    await watch.outage()
                    if Task.isCancelled { return nil }
                    throw Self.away
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let response = result { return response }
                }
                throw Self.away
            }
        }
    }

    /// The rest of the chain, carried into the task group that runs it.
    struct UncheckedCall: @unchecked Sendable {
        let run: (Request, Context) async throws -> Response
        init(_ run: @escaping (Request, Context) async throws -> Response) { self.run = run }
    }
}
