import Hummingbird
import SetasideCore

/// A method the API does not have for a path it has (TRACE, or DELETE on a list) is 405
/// with `Allow`, not 404: the routes are the OpenAPI document's table.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: true)
        let methods = OpenAPIDocument.methods(matching: segments)
        let method = request.method.rawValue
        guard !methods.isEmpty, !methods.contains(method), !(method == "HEAD" && methods.contains("GET")) else {
            return try await next(request, context)
        }
        var problem = Problem(.methodNotAllowed, type: "method-not-allowed", title: "Method not allowed",
                              detail: "\(method) is not a method of \(request.uri.path); it has \(methods.joined(separator: ", "))")
        problem.allow = methods
        throw problem
    }
}
