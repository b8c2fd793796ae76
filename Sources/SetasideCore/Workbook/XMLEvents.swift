/// A small XML tokenizer for the parts of an xlsx file (a sheet, its shared strings, the
/// workbook's sheet list): start tags with their attributes, end tags, and text, read
/// from bytes fed a chunk at a time, so that a sheet of hundreds of thousands of rows is
/// never held whole. Namespaces are kept in the names (`x:row`); callers compare local
/// names. Comments, processing instructions and DOCTYPEs are skipped; CDATA is text.
public struct XMLEvents {
    public enum Event: Equatable {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    private var pending: [UInt8] = []

    public init() {}

    /// The events of the bytes fed so far that are complete; an unfinished tag or text
    /// waits for the next chunk.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [Event] {
        pending.append(contentsOf: chunk)
        var events: [Event] = []
        var i = 0
        let n = pending.count
        var consumed = 0
        while i < n {
            if pending[i] == UInt8(ascii: "<") {
                // Find the end of the markup.
                if Self.starts(pending, at: i, with: "<!--") {
                    guard let end = Self.find(pending, from: i + 4, "-->") else { break }
                    i = end + 3
                } else if Self.starts(pending, at: i, with: "<![CDATA[") {
                    guard let end = Self.find(pending, from: i + 9, "]]>") else { break }
                    events.append(.text(String(decoding: pending[(i + 9)..<end], as: UTF8.self)))
                    i = end + 3
                } else if i + 1 < n, pending[i + 1] == UInt8(ascii: "?") || pending[i + 1] == UInt8(ascii: "!") {
                    guard let end = Self.tagEnd(pending, from: i + 1) else { break }
                    i = end + 1
                } else {
                    guard let end = Self.tagEnd(pending, from: i + 1) else { break }
                    events.append(Self.tag(pending[(i + 1)..<end]))
                    i = end + 1
                }
                consumed = i
            } else {
                var j = i
                while j < n, pending[j] != UInt8(ascii: "<") { j += 1 }
                guard j < n else { break }      // the text may go on in the next chunk
                events.append(.text(Self.unescape(pending[i..<j])))
                i = j
                consumed = i
            }
        }
        pending.removeFirst(consumed)
        return events
    }

    static func starts(_ bytes: [UInt8], at i: Int, with text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard i + utf8.count <= bytes.count else { return false }
        return bytes[i..<(i + utf8.count)].elementsEqual(utf8)
    }

    static func find(_ bytes: [UInt8], from start: Int, _ text: String) -> Int? {
        let utf8 = Array(text.utf8)
        var i = start
        while i + utf8.count <= bytes.count {
            if bytes[i] == utf8[0], bytes[i..<(i + utf8.count)].elementsEqual(utf8) { return i }
            i += 1
        }
        return nil
    }

    /// The `>` closing a tag that starts before `from`, past quoted attribute values.
    static func tagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var quote: UInt8?
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: ">") {
                return i
            }
            i += 1
        }
        return nil
    }

    /// A tag's inside (`row r="2"`, `/row`, `c r="A1" t="s"/`) as an event.
    static func tag(_ inside: ArraySlice<UInt8>) -> Event {
        var body = inside
        if body.first == UInt8(ascii: "/") {
            return .end(name: String(decoding: body.dropFirst().prefix { !Self.isSpace($0) }, as: UTF8.self))
        }
        var selfClosing = false
        if body.last == UInt8(ascii: "/") {
            selfClosing = true
            body = body.dropLast()
        }
        let nameBytes = body.prefix { !Self.isSpace($0) }
        let name = String(decoding: nameBytes, as: UTF8.self)
        var attributes: [String: String] = [:]
        var i = body.startIndex + nameBytes.count
        while i < body.endIndex {
            while i < body.endIndex, Self.isSpace(body[i]) { i += 1 }
            let keyStart = i
            while i < body.endIndex, body[i] != UInt8(ascii: "="), !Self.isSpace(body[i]) { i += 1 }
            let key = String(decoding: body[keyStart..<i], as: UTF8.self)
            while i < body.endIndex, body[i] != UInt8(ascii: "\""), body[i] != UInt8(ascii: "'") { i += 1 }
            guard i < body.endIndex else { break }
            let quote = body[i]
            i += 1
            let valueStart = i
            while i < body.endIndex, body[i] != quote { i += 1 }
            if !key.isEmpty { attributes[key] = unescape(body[valueStart..<min(i, body.endIndex)]) }
            i += 1
        }
        return .start(name: name, attributes: attributes, selfClosing: selfClosing)
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    /// Text with XML's entities and character references replaced.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { out += rest[amp...]; return out }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar) } else { out += "&\(entity);" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}

extension XMLEvents.Event {
    /// A name without its namespace prefix (`x:row` → `row`).
    static func local(_ name: String) -> Substring {
        name.split(separator: ":").last ?? Substring(name)
    }
}
