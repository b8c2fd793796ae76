import Hummingbird
import SetasideCore

/// An error as `application/problem+json` (RFC 9457): a machine-readable `type`, a
/// human `detail`, and for validation errors the fields at fault.
public struct Problem: Error, Sendable {
    public var status: HTTPResponse.Status
    /// The last part of the type URI, e.g. `validation`.
    public var type: String
    public var title: String
    public var detail: String
    public var fields: [InputProblem]
    /// The methods a 405 names in `Allow`.
    public var allow: [String] = []

    public init(_ status: HTTPResponse.Status, type: String, title: String, detail: String, fields: [InputProblem] = []) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.fields = fields
    }

    /// The type URIs are URNs: stable names, not pages to fetch.
    public var typeURI: String { "urn:setaside:problem:\(type)" }

    static func unauthorized() -> Problem {
        Problem(.unauthorized, type: "unauthorized", title: "Authentication required",
                detail: "send a bearer token: Authorization: Bearer <token> (setaside account token LOGIN)")
    }

    static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, type: "forbidden", title: "Not allowed", detail: detail)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: detail)
    }

    static func validation(_ fields: [InputProblem], detail: String? = nil) -> Problem {
        Problem(.unprocessableContent, type: "validation", title: "Invalid request",
                detail: detail ?? fields.map(\.description).joined(separator: "; "), fields: fields)
    }

    static func malformed(_ detail: String) -> Problem {
        Problem(.badRequest, type: "malformed", title: "Malformed request", detail: detail)
    }

    /// The problem document.
    var json: String {
        var text = "{\"type\": \(JSONText.string(typeURI)), \"title\": \(JSONText.string(title)), "
            + "\"status\": \(status.code), \"detail\": \(JSONText.string(detail))"
        if !fields.isEmpty {
            let errors = fields.map { problem in
                var entry = "{\"field\": \(JSONText.string(problem.field)), \"reason\": \(JSONText.string(problem.reason))"
                if problem.line > 0 { entry += ", \"line\": \(problem.line)" }
                return entry + "}"
            }
            text += ", \"errors\": [" + errors.joined(separator: ", ") + "]"
        }
        return text + "}"
    }

    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if status == .methodNotAllowed { headers[.allow] = allow.joined(separator: ", ") }
        // The database busy or away: a client may try again in a moment.
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
