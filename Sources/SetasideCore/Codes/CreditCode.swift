/// An 18-character unified social credit code (统一社会信用代码, GB 32100-2015).
///
/// Characters come from `0123456789ABCDEFGHJKLMNPQRTUWXY` (values 0–30; no I, O, S, V, Z).
/// Characters 3–8 are the division code of the registering authority; the 18th is a
/// check character. A wrong length or character is refused; a wrong check character is
/// kept, with ``hasValidCheckCharacter`` false and a ``checkWarning`` to show and record,
/// because some early codes in real use fail the check.
public struct CreditCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The code, upper-case, 18 characters.
    public let text: String
    /// False when the 18th character is not the computed check character: a warning, not a refusal.
    public let hasValidCheckCharacter: Bool

    /// The 31 characters of the code alphabet, in value order.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// Weights of positions 1…17: 3^(i-1) mod 31.
    public static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Parses a code: surrounding spaces are removed, lower-case letters upper-cased.
    /// Throws when a character is outside the alphabet or the length is not 18.
    public init(parsing text: some StringProtocol) throws(CodeError) {
        let t = FieldValue.trimmed(text)
        if t.isEmpty { throw .empty(expected: Self.expected) }
        let values = try Self.values(of: t)
        if values.count != 18 { throw .wrongLength(String(t), expected: Self.expected) }
        let upper = String(decoding: values.map { Self.alphabetBytes[Int($0)] }, as: UTF8.self)
        self.text = upper
        self.hasValidCheckCharacter = Self.checkValue(values[0..<17]) == values[17]
    }

    /// The check character for the first 17 characters of a code (lower case accepted),
    /// or nil when the text is not 17 characters of the alphabet.
    public static func checkCharacter(forFirst17 text: some StringProtocol) -> Character? {
        guard let values = try? Self.values(of: Substring(text)), values.count == 17 else { return nil }
        return alphabet[Int(checkValue(values[...]))]
    }

    /// Characters 3–8: the administrative division code of the registering authority.
    public var registrationDivision: String {
        let u = Array(text.utf8)
        return String(decoding: u[2..<8], as: UTF8.self)
    }

    /// The check character written in the code (its 18th character).
    public var writtenCheckCharacter: Character { text.last! }

    /// The check character computed from the first 17 characters.
    public var expectedCheckCharacter: Character {
        Self.checkCharacter(forFirst17: text.prefix(17))!
    }

    /// A message for a wrong check character, e.g.
    /// `check character is K, expected 0 (GB 32100-2015)`; nil when the check character is right.
    public var checkWarning: String? {
        if hasValidCheckCharacter { return nil }
        return "check character is \(writtenCheckCharacter), expected \(expectedCheckCharacter) (GB 32100-2015)"
    }

    public var description: String { text }

    /// Orders by text.
    public static func < (lhs: CreditCode, rhs: CreditCode) -> Bool { lhs.text < rhs.text }

    // MARK: - Internals

    private static let expected = "18 characters (unified social credit code)"
    private static let alphabetBytes: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// Value of each ASCII byte in the alphabet (lower case mapped to upper), -1 elsewhere.
    private static let valueOfByte: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (v, b) in alphabetBytes.enumerated() {
            table[Int(b)] = Int8(v)
            if b >= 0x41 && b <= 0x5A { table[Int(b + 0x20)] = Int8(v) }
        }
        return table
    }()

    /// The values of the characters, or an error naming the first character outside the alphabet.
    private static func values(of t: Substring) throws(CodeError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(18)
        for (i, scalar) in t.unicodeScalars.enumerated() {
            let v = scalar.value < 128 ? valueOfByte[Int(scalar.value)] : -1
            if v < 0 {
                throw .invalidCharacter(String(t), Character(scalar), position: i + 1)
            }
            result.append(UInt8(v))
        }
        return result
    }

    /// C18 = 31 − (Σ Cᵢ·Wᵢ mod 31), with 31 written as 0.
    private static func checkValue(_ first17: ArraySlice<UInt8>) -> UInt8 {
        var sum = 0
        for (w, c) in zip(weights, first17) { sum += w * Int(c) }
        let c = 31 - sum % 31
        return UInt8(c == 31 ? 0 : c)
    }
}
