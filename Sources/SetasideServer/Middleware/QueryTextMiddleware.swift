import Hummingbird
import SetasideCore

/// Refuses (422, naming the parameter) a query parameter or a path segment that holds a
/// control character (a NUL, a line break) or is longer than any value setaside reads
/// from one: no route is ever handed such text.
struct QueryTextMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// Longer than any code, cursor, date or name sent in a URL.
    static let maxLength = 200

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var problems: [InputProblem] = []
        var seen: Set<Substring> = []
        for (name, value) in request.uri.queryParameters {
            // A parameter given twice or empty would be read one way here and another
            // by someone else: refused, not guessed at.
            if !seen.insert(name).inserted {
                problems.append(.field(String(name), "is given more than once"))
            } else if value.isEmpty {
                problems.append(.field(String(name), "is empty: give a value or leave it out"))
            } else if let reason = Self.problem(with: value) {
                problems.append(.field(String(name), reason))
            }
        }
        for segment in request.uri.path.split(separator: "/") {
            let decoded = segment.removingPercentEncoding ?? String(segment)
            if let reason = Self.problem(with: decoded) {
                problems.append(.field("path", "\(FieldValue.shown(decoded)) \(reason)"))
            }
        }
        if !problems.isEmpty { throw Problem.validation(problems) }
        return try await next(request, context)
    }

    static func problem(with value: some StringProtocol) -> String? {
        if value.utf8.count > maxLength { return "is longer than \(maxLength) bytes" }
        // The one rule of what text may be stored or sent: FieldValue.storable's.
        do { _ = try FieldValue.storable(String(value)) } catch { return error.reason }
        return nil
    }
}
