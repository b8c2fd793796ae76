/// A year of the rules (a declaration's, a report's, an assignment's): 2000 to 2999.
public struct Year: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The years setaside accepts.
    public static let range: ClosedRange<Int> = 2000...2999

    public let value: Int

    /// The year `value`; refused outside `range`.
    public init(_ value: Int) throws(FieldError) {
        guard Self.range.contains(value) else {
            throw FieldError(reason: "\(value) is not a year from \(Self.range.lowerBound) to \(Self.range.upperBound)")
        }
        self.value = value
    }

    /// A year written as four digits (`2024`).
    public init(parsing text: some StringProtocol) throws(FieldError) {
        guard text.utf8.count == 4, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(text),
              Self.range.contains(value) else {
            throw FieldError(reason: "\(FieldValue.shown(text)) is not a year (YYYY, \(Self.range.lowerBound)–\(Self.range.upperBound))")
        }
        self.value = value
    }

    public static func < (a: Year, b: Year) -> Bool { a.value < b.value }

    public var description: String { String(value) }
}
