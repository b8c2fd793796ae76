import Hummingbird
import SetasideCore

/// A query parameter that takes one of a type's values (`?format=xlsx`, `?channel=…`).
enum ChoiceParameter {
    /// The parameter `name` of `request` as a `T`, nil when absent; when it is not one of
    /// `T`'s values, nil and a problem naming them added to `problems`.
    static func read<T: RawRepresentable & CaseIterable>(_ name: String, of request: Request, as type: T.Type,
                                                        into problems: inout [InputProblem]) -> T? where T.RawValue == String {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        if let value = T(rawValue: text) { return value }
        problems.append(InputProblem.field(name, "\(FieldValue.shown(text)) is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"))
        return nil
    }

    /// The same, or `fallback` when absent; a value not among `T`'s is refused (422).
    static func read<T: RawRepresentable & CaseIterable>(_ name: String, of request: Request,
                                                        default fallback: T) throws -> T where T.RawValue == String {
        var problems: [InputProblem] = []
        let value = read(name, of: request, as: T.self, into: &problems)
        if !problems.isEmpty { throw Problem.validation(problems) }
        return value ?? fallback
    }
}
