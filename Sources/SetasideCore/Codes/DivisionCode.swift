/// The level of an administrative division, from the country down to the village.
public enum DivisionLevel: String, Sendable, CaseIterable, Comparable {
    case country, province, city, county, township, village

    /// Orders from the top (country) to the bottom (village).
    public static func < (lhs: DivisionLevel, rhs: DivisionLevel) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .country: 0
        case .province: 1
        case .city: 2
        case .county: 3
        case .township: 4
        case .village: 5
        }
    }
}

/// An administrative division code, kept as text (never a number, so leading digits survive).
///
/// Six digits (GB/T 2260: province `XX0000`, prefecture `XXYY00`, county `XXYYZZ`),
/// nine digits (township) or twelve digits (village), as the statistics bureau writes them.
/// `100000` is the root of every region tree (the country).
///
/// The statistics bureau also writes upper levels in twelve digits padded with zeros
/// (`110101000000` is the county `110101`, `110101001000` the township `110101001`);
/// such codes are normalised to their short form, so one division has one code.
public struct DivisionCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The whole country, `100000`: the root of every region tree.
    public static let country = DivisionCode(unchecked: "100000")

    /// The code: 6, 9 or 12 digits.
    public let text: String

    /// Parses a code: surrounding spaces are removed; only digits; length 6, 9 or 12.
    /// Twelve- and nine-digit codes ending in `000` are shortened to the level they name.
    /// Throws for other lengths, non-digits, and six-digit codes whose province part is `00`.
    public init(parsing text: some StringProtocol) throws(CodeError) {
        let t = FieldValue.trimmed(text)
        if t.isEmpty { throw .empty(expected: Self.expected) }
        var digits: [UInt8] = []
        digits.reserveCapacity(12)
        for (i, scalar) in t.unicodeScalars.enumerated() {
            guard scalar.value >= 0x30 && scalar.value <= 0x39 else {
                throw .invalidCharacter(String(t), Character(scalar), position: i + 1)
            }
            digits.append(UInt8(scalar.value))
        }
        guard digits.count == 6 || digits.count == 9 || digits.count == 12 else {
            throw .wrongLength(String(t), expected: Self.expected)
        }
        while digits.count > 6 && digits.suffix(3).allSatisfy({ $0 == 0x30 }) {
            digits.removeLast(3)
        }
        if digits[0] == 0x30 && digits[1] == 0x30 {
            throw .notADivision(String(t))
        }
        self.text = String(decoding: digits, as: UTF8.self)
    }

    private init(unchecked text: String) { self.text = text }

    /// The level, read from the digits: `100000` → country; `XX0000` → province;
    /// `XXYY00` → city; other six digits → county; nine → township; twelve → village.
    public var level: DivisionLevel {
        let u = text.utf8
        switch u.count {
        case 12: return .village
        case 9: return .township
        default:
            if text == "100000" { return .country }
            let b = Array(u)
            if b[2] == 0x30 && b[3] == 0x30 && b[4] == 0x30 && b[5] == 0x30 { return .province }
            if b[4] == 0x30 && b[5] == 0x30 { return .city }
            return .county
        }
    }

    /// The parent the digits suggest: village → its nine-digit township, township → its first
    /// six digits, county → `XXYY00`, city → `XX0000`, province → country, country → nil.
    ///
    /// A real tree may differ (counties directly under a province, for instance): the
    /// imported parent code wins in the store; this is only a default.
    public var derivedParent: DivisionCode? {
        let b = Array(text.utf8)
        switch level {
        case .country: return nil
        case .province: return .country
        case .city: return DivisionCode(unchecked: String(decoding: b[0..<2] + [0x30, 0x30, 0x30, 0x30], as: UTF8.self))
        case .county: return DivisionCode(unchecked: String(decoding: b[0..<4] + [0x30, 0x30], as: UTF8.self))
        case .township: return DivisionCode(unchecked: String(decoding: b[0..<6], as: UTF8.self))
        case .village: return DivisionCode(unchecked: String(decoding: b[0..<9], as: UTF8.self))
        }
    }

    /// The derived ancestors, nearest first, ending with the country (empty for the country).
    public var derivedAncestors: [DivisionCode] {
        var result: [DivisionCode] = []
        var next = derivedParent
        while let p = next {
            result.append(p)
            next = p.derivedParent
        }
        return result
    }

    /// The six-digit code a township or village belongs to, the code itself for a county,
    /// nil for higher levels.
    public var countyPrefix: DivisionCode? {
        switch level {
        case .county: return self
        case .township, .village: return DivisionCode(unchecked: String(decoding: Array(text.utf8)[0..<6], as: UTF8.self))
        case .country, .province, .city: return nil
        }
    }

    /// Whether this code is `other` or lies under it by derived ancestry.
    public func isSameOrDescendant(of other: DivisionCode) -> Bool {
        self == other || derivedAncestors.contains(other)
    }

    public var description: String { text }

    /// Orders by text.
    public static func < (lhs: DivisionCode, rhs: DivisionCode) -> Bool { lhs.text < rhs.text }

    private static let expected = "6, 9 or 12 digits (administrative division code)"
}

/// Why a text is not a valid code (credit code or administrative division code).
public enum CodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nothing was written; `expected` describes the code wanted.
    case empty(expected: String)
    /// The text has the wrong number of characters; `expected` describes the right length.
    case wrongLength(String, expected: String)
    /// The character at `position` (1-based, after removing surrounding spaces) is not allowed.
    case invalidCharacter(String, Character, position: Int)
    /// Digits of the right length that name no division (province part `00`).
    case notADivision(String)

    public var description: String {
        switch self {
        case .empty(let expected):
            return "the code is empty: write \(expected)"
        case .wrongLength(let text, let expected):
            return "\(FieldValue.shown(text)) has \(text.count) characters: expected \(expected)"
        case .invalidCharacter(let text, let character, let position):
            let shown = character.unicodeScalars.allSatisfy { $0.properties.isWhitespace } ? "a space" : "\"\(character)\""
            return "\(FieldValue.shown(text)): \(shown) at position \(position) is not allowed (credit codes use digits and the letters A–Y without I, O, S, V, Z; division codes use digits only)"
        case .notADivision(let text):
            return "\(FieldValue.shown(text)) is not an administrative division code: the first two digits (the province) cannot be 00"
        }
    }
}
