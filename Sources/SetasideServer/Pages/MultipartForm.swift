import Hummingbird

/// A form with a file (`multipart/form-data`, RFC 7578): its parts by name, a file's
/// bytes as sent. Only what the upload page sends is read: a part's name, its file name
/// and its bytes.
struct MultipartForm {
    struct Part {
        var name: String
        var filename: String?
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    let parts: [Part]

    subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary a `multipart/form-data` Content-Type names.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    /// Reads the request's form (at most `maxSize` bytes) and refuses it (403) unless its
    /// `csrf` part is the token of `secret`; 400 when it is not a multipart form.
    static func read(_ request: Request, secret: String?, maxSize: Int) async throws -> MultipartForm {
        guard let boundary = boundary(request.headers[.contentType]) else {
            throw Problem(.badRequest, type: "not-multipart", title: "Not a form with a file",
                          detail: "the upload is sent as multipart/form-data")
        }
        let body = try await request.body.collect(upTo: maxSize)
        let form = MultipartForm(parts: parse(Array(body.readableBytesView), boundary: boundary))
        guard PageSession.accepts(form["csrf"]?.text, for: secret) else { throw PageForm.expired }
        return form
    }

    /// The parts of `body` between the delimiters of `boundary`.
    static func parse(_ body: [UInt8], boundary: String) -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var starts: [Int] = []
        var index = 0
        while let found = find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        for (start, end) in zip(starts, starts.dropFirst()) {
            var from = start + delimiter.count
            // After the delimiter: CRLF, then the headers up to a blank line.
            if from + 1 < body.count, body[from] == 13, body[from + 1] == 10 { from += 2 }
            guard let blank = find([13, 10, 13, 10], in: body, from: from), blank < end else { continue }
            let headers = String(decoding: body[from..<blank], as: UTF8.self)
            var contentEnd = end
            // The CRLF before the next delimiter belongs to it.
            if contentEnd >= 2, body[contentEnd - 2] == 13, body[contentEnd - 1] == 10 { contentEnd -= 2 }
            guard let disposition = headers.split(separator: "\r\n").first(where: {
                $0.lowercased().hasPrefix("content-disposition:")
            }) else { continue }
            guard let name = parameter("name", of: disposition) else { continue }
            parts.append(Part(name: name, filename: parameter("filename", of: disposition),
                              bytes: Array(body[(blank + 4)..<max(blank + 4, contentEnd)])))
        }
        return parts
    }

    /// The quoted parameter `name` of a Content-Disposition header.
    static func parameter(_ name: String, of header: Substring) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces) == name else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    /// The first place `needle` occurs in `haystack` at or after `start`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
