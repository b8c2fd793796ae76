import Hummingbird
import SetasideCore

/// A query parameter that names a region (`?under=`, `?origin=`): an administrative
/// division code, written as the OpenAPI document's pattern says, or a problem.
enum DivisionCodeParameter {
    /// The parameter `name` of `request`, nil when absent; when it is not a code, nil and
    /// a problem added to `problems`.
    static func read(_ name: String, of request: Request, into problems: inout [InputProblem]) -> String? {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        if FieldValue.trimmed(text) == Substring(text), let code = try? DivisionCode(parsing: text) { return code.text }
        problems.append(.field(name, "\(FieldValue.shown(text)) is not a region code (6, 9 or 12 digits)"))
        return nil
    }
}
