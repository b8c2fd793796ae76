// Foundation is imported for one thing only: the canonical composition (NFC) of order
// numbers (`precomposedStringWithCanonicalMapping`), which does no I/O.
import Foundation

/// Conversions of single CSV or command-line field values into typed values.
///
/// Every function either returns a value or throws a ``FieldError`` whose
/// description tells the clerk what to write instead.
public enum FieldValue {
    /// Parses a yes/no field: exactly `true` or `false`, in any letter case,
    /// surrounding spaces ignored. Anything else (including `yes`, `1`, the empty
    /// string) throws.
    public static func bool(_ s: String, column: String? = nil) throws(FieldError) -> Bool {
        let t = trimmed(s)
        if t.utf8.count == 4 || t.utf8.count == 5 {
            switch t.lowercased() {
            case "true": return true
            case "false": return false
            default: break
            }
        }
        throw FieldError(reason: "\(prefix(column))\(shown(s)) is not a yes/no value: write true or false")
    }

    /// Returns the value with surrounding spaces removed, throwing when nothing is left.
    public static func nonEmpty(_ s: String, column: String? = nil) throws(FieldError) -> String {
        let t = trimmed(s)
        if t.isEmpty {
            throw FieldError(reason: "\(prefix(column))a value is required here but the field is empty")
        }
        return String(t)
    }

    /// A text stored as written (a name, an order number): refused when it holds a
    /// control character (a NUL, a line break, a tab), which no clerk means to store.
    public static func storable(_ s: String) throws(FieldError) -> String {
        // C0 controls and DEL are single bytes in UTF-8: a byte scan finds them.
        guard let byte = s.utf8.first(where: { $0 < 0x20 || $0 == 0x7F }) else { return s }
        throw FieldError(reason: "contains the control character \(codePoint(Unicode.Scalar(byte))); remove it")
    }

    /// `value` as a message quotes it: in quotes, cut after 40 characters with the length
    /// said, so that a wrong column of megabytes does not flood the error.
    public static func shown(_ value: some StringProtocol) -> String {
        let scalars = value.unicodeScalars
        guard scalars.count > 40 else { return "\"\(value)\"" }
        return "\"\(String(String.UnicodeScalarView(scalars.prefix(40))))…\" (\(scalars.count) characters)"
    }

    /// The longest field of a file, in UTF-8 bytes: longer than any name (200 characters
    /// of up to four bytes) and far shorter than a wrong column of megabytes, which is
    /// refused before it is parsed.
    public static let maxFieldBytes = 1024

    /// The longest name (of a region, a unit), in characters as PostgreSQL counts them.
    public static let maxNameLength = 200

    /// A name: not empty, at most `maxNameLength` characters, storable.
    public static func name(_ text: String) throws(FieldError) -> String {
        if text.isEmpty { throw FieldError(reason: "is empty") }
        let length = text.unicodeScalars.count
        if length > maxNameLength { throw FieldError(reason: "has \(length) characters; a name has at most \(maxNameLength)") }
        return try storable(text)
    }

    /// The longest free text (a finding's reason), in characters.
    public static let maxNoteLength = 2000

    /// The longest order number, in UTF-8 bytes (the platforms' order numbers are short;
    /// a longer one is a wrong column).
    public static let maxOrderNumberBytes = 64

    /// An order number (already trimmed): not empty, storable, no invisible character,
    /// at most `maxOrderNumberBytes` bytes, in NFC. `IMP28`, `IMP28` with a zero-width
    /// space and `IMP28` with a right-to-left override would otherwise be three orders
    /// that look like one; `é` written as e and a combining accent is stored as the one
    /// character `é`, so both spellings are the same order.
    public static func orderNumber(_ text: String) throws(FieldError) -> String {
        if text.isEmpty { throw FieldError(reason: "is empty") }
        if text.utf8.count > maxOrderNumberBytes { throw FieldError(reason: "is longer than \(maxOrderNumberBytes) bytes") }
        let text = try storable(text)
        if let scalar = text.unicodeScalars.first(where: isInvisible) {
            throw FieldError(reason: "contains the invisible character \(codePoint(scalar)) (a zero-width or text-direction "
                                 + "mark, often pasted along): retype the order number")
        }
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        let composed = text.precomposedStringWithCanonicalMapping
        if composed.utf8.count > maxOrderNumberBytes { throw FieldError(reason: "is longer than \(maxOrderNumberBytes) bytes") }
        return composed
    }

    /// Whether a scalar is one a reader cannot see: a format character (zero-width
    /// spaces and joiners, direction marks and overrides, the byte-order mark), a line or
    /// paragraph separator, or another default-ignorable code point.
    static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return false }
        switch u.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator, .control: return true
        default: return u.properties.isDefaultIgnorableCodePoint || u.properties.isBidiControl
        }
    }

    /// `U+200B`.
    static func codePoint(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Returns the value with surrounding spaces removed, or nil when nothing is left.
    public static func optional(_ s: String) -> String? {
        let t = trimmed(s)
        return t.isEmpty ? nil : String(t)
    }

    /// Removes surrounding white space: every Unicode white-space scalar
    /// (space, tab, line breaks, no-break space, the ideographic space U+3000)
    /// and the byte-order mark U+FEFF.
    public static func trimmed(_ s: some StringProtocol) -> Substring {
        let scalars = Substring(s).unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return Substring(scalars[first...last])
    }

    /// Whether a scalar counts as white space for ``trimmed(_:)``.
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 {
            return u == " " || (u.value >= 0x09 && u.value <= 0x0D)
        }
        return u.value == 0xFEFF || u.properties.isWhitespace
    }

    private static func prefix(_ column: String?) -> String {
        column.map { "column \($0): " } ?? ""
    }
}

/// A field value that could not be converted; ``reason`` says what to write instead.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message shown to the clerk.
    public let reason: String

    /// Creates an error with the message a clerk will read.
    public init(reason: String) { self.reason = reason }

    public var description: String { reason }
}
