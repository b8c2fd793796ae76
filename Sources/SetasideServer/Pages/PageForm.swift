import Hummingbird

/// A form a page posted (`application/x-www-form-urlencoded`), its fields by name, with
/// its CSRF token checked against the cookie the form was made for.
struct PageForm {
    let fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    /// The trimmed, non-empty value of `name`.
    func text(_ name: String) -> String? {
        guard let value = fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Reads the form (at most `maxSize` bytes) and refuses it (403, "the form has
    /// expired") unless its `csrf` field is the token of `secret`.
    static func read(_ request: Request, secret: String?, maxSize: Int = 1 << 20) async throws -> PageForm {
        let body = try await request.body.collect(upTo: maxSize)
        let form = PageForm(fields: parse(String(buffer: body)))
        guard PageSession.accepts(form["csrf"], for: secret) else { throw Self.expired }
        return form
    }

    /// The refusal of a form without the right token.
    static let expired = Problem(.forbidden, type: "form-expired", title: "Form expired",
                                 detail: "the form's token does not match the session; reload the page and send it again")

    /// The fields of an urlencoded body; the first of a repeated name wins.
    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decoded(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decoded(parts[1]) : "" }
        }
        return fields
    }
}
