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
        throw FieldError(reason: "\(prefix(column))\"\(s)\" is not a yes/no value: write true or false")
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
        let code = String(byte, radix: 16, uppercase: true)
        throw FieldError(reason: "contains the control character U+\(String(repeating: "0", count: 4 - code.count))\(code); remove it")
    }

    /// The longest order number, in UTF-8 bytes (the platforms' order numbers are short;
    /// a longer one is a wrong column).
    public static let maxOrderNumberBytes = 64

    /// An order number (already trimmed): not empty, storable, at most
    /// `maxOrderNumberBytes` bytes.
    public static func orderNumber(_ text: String) throws(FieldError) -> String {
        if text.isEmpty { throw FieldError(reason: "is empty") }
        if text.utf8.count > maxOrderNumberBytes { throw FieldError(reason: "is longer than \(maxOrderNumberBytes) bytes") }
        return try storable(text)
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
