/// An exact amount of money in yuan, held as integer fen (1 yuan = 100 fen).
///
/// No floating point is used anywhere: parsing, printing and arithmetic are on `Int64` fen.
/// Arithmetic traps on overflow like `Int64` does (±92 233 720 368 547 758.07 yuan).
public struct Money: Hashable, Comparable, Sendable, AdditiveArithmetic, CustomStringConvertible {
    /// The amount in fen (hundredths of a yuan).
    public var fen: Int64

    /// Creates an amount of `fen` hundredths of a yuan.
    public init(fen: Int64) { self.fen = fen }

    /// An amount of whole yuan; traps if `y * 100` overflows `Int64`.
    public static func yuan(_ y: Int64) -> Money { Money(fen: y * 100) }

    /// Zero yuan.
    public static var zero: Money { Money(fen: 0) }

    /// The largest amount setaside accepts in one field, either sign: 10 000 000 000.00
    /// yuan, far beyond any single order or unit budget. Bounded amounts keep every sum a
    /// report makes (over nine million such amounts) inside `Int64` fen.
    public static let largestAccepted = Money(fen: 1_000_000_000_000)

    /// Adds two amounts.
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen + rhs.fen) }
    /// Subtracts two amounts.
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen - rhs.fen) }
    /// The opposite amount (a reversal of this amount).
    public static prefix func - (value: Money) -> Money { Money(fen: -value.fen) }
    /// Orders by amount.
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }

    /// Parses an amount in yuan with at most two decimals.
    ///
    /// Accepted: `1234`, `1234.5`, `1234.50`, `-12.30`, `1,234.50` (thousands separators
    /// only between groups of exactly three digits), an optional currency sign `¥` or `￥`
    /// before or after the minus sign (`¥1234.50`, `-¥12.30`, `¥-12.30`), spaces around the
    /// whole text and after the currency sign.
    /// Refused: `12.345` (``AmountError/tooManyDecimals(_:)``), `.5`, `5.`, `1e5`, `+5`, `--1`,
    /// `1,23.00`, `abc` (``AmountError/malformed(_:)``), the empty string
    /// (``AmountError/empty``), and amounts beyond ``largestAccepted`` either way
    /// (``AmountError/outOfRange(_:)``).
    public init(parsingYuan text: Substring) throws(AmountError) {
        let t = FieldValue.trimmed(text)
        if t.isEmpty { throw .empty }
        let original = String(text)
        var bytes = Array(t.utf8)[...]

        var negative = false
        var sawSymbol = false
        func skipSymbol() {
            if bytes.starts(with: [0xC2, 0xA5]) { bytes = bytes.dropFirst(2); sawSymbol = true }        // ¥ U+00A5
            else if bytes.starts(with: [0xEF, 0xBF, 0xA5]) { bytes = bytes.dropFirst(3); sawSymbol = true } // ￥ U+FFE5
            if sawSymbol { while bytes.first == 0x20 { bytes = bytes.dropFirst() } }
        }
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        skipSymbol()
        if !negative && sawSymbol && bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }

        // Integer part, with optional thousands separators.
        var whole: Int64 = 0
        var overflow = false
        var digitsInGroup = 0
        var sawComma = false
        var sawDigit = false
        while let c = bytes.first {
            if c >= 0x30 && c <= 0x39 {
                let (m, o1) = whole.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(c - 0x30))
                overflow = overflow || o1 || o2
                whole = s
                digitsInGroup += 1
                sawDigit = true
            } else if c == UInt8(ascii: ",") {
                // The group before a comma: 1–3 digits if it is the first, exactly 3 otherwise.
                if digitsInGroup == 0 || digitsInGroup > 3 || (sawComma && digitsInGroup != 3) {
                    throw .malformed(original)
                }
                sawComma = true
                digitsInGroup = 0
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        if !sawDigit || (sawComma && digitsInGroup != 3) { throw .malformed(original) }

        // Fraction: '.' and one or two digits.
        var fraction: Int64 = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            var count = 0
            while let c = bytes.first, c >= 0x30 && c <= 0x39 {
                count += 1
                if count <= 2 { fraction = fraction * 10 + Int64(c - 0x30) }
                bytes = bytes.dropFirst()
            }
            if count == 0 || !bytes.isEmpty { throw .malformed(original) }
            if count > 2 { throw .tooManyDecimals(original) }
            if count == 1 { fraction *= 10 }
        }
        if !bytes.isEmpty { throw .malformed(original) }

        let (scaled, o3) = whole.multipliedReportingOverflow(by: 100)
        let (total, o4) = scaled.addingReportingOverflow(fraction)
        if overflow || o3 || o4 || total > Money.largestAccepted.fen { throw .outOfRange(original) }
        self.fen = negative ? -total : total
    }

    /// Parses an amount in yuan; see ``init(parsingYuan:)-(Substring)``.
    public init(parsingYuan text: String) throws(AmountError) {
        try self.init(parsingYuan: Substring(text))
    }

    /// The amount in yuan with exactly two decimals and no separators:
    /// `1234.50`, `-0.05`, `0.00`.
    public var yuanString: String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        let body = "\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
        return fen < 0 ? "-" + body : body
    }

    /// Yuan with two decimals and a comma every three digits (`1,234,567.89`), as people
    /// read amounts: pages, workbooks' text.
    public var groupedYuanString: String {
        let plain = yuanString
        let negative = plain.hasPrefix("-")
        let digits = negative ? String(plain.dropFirst()) : plain
        let whole = digits.prefix { $0 != "." }, fraction = digits.drop { $0 != "." }
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (negative ? "-" : "") + grouped + fraction
    }

    /// How many parts of `whole` this amount is, in `scale` parts, rounded down and
    /// held between 0 and `scale` (a progress bar's width); 0 when `whole` is not positive.
    public func parts(of whole: Money, scale: Int64 = 100) -> Int64 {
        guard whole.fen > 0, fen > 0 else { return 0 }
        if fen >= whole.fen { return scale }
        // fen < whole.fen: fen * scale fits unless the amounts are beyond any budget, and
        // then whole yuan are precise enough for a bar.
        let (product, overflow) = fen.multipliedReportingOverflow(by: scale)
        return overflow ? (fen / 100) * scale / (whole.fen / 100) : product / whole.fen
    }

    public var description: String { yuanString }
}

/// Why a text is not an amount of yuan.
public enum AmountError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nothing was written.
    case empty
    /// The text is not a number in the accepted form.
    case malformed(String)
    /// More than two digits after the decimal point.
    case tooManyDecimals(String)
    /// The amount is beyond ±``Money/largestAccepted``.
    case outOfRange(String)

    public var description: String {
        switch self {
        case .empty:
            return "the amount is empty: write an amount in yuan such as 1234.50"
        case .malformed(let text):
            return "\(FieldValue.shown(text)) is not an amount in yuan: write digits with at most two decimals, such as 1234.50 or 1,234.50 (no letters or exponents; commas only between groups of three digits)"
        case .tooManyDecimals(let text):
            return "\(FieldValue.shown(text)) has more than two decimals: amounts are in yuan to the fen, such as 1234.50"
        case .outOfRange(let text):
            return "\(FieldValue.shown(text)) is beyond \(Money.largestAccepted.yuanString) yuan either way, the largest amount setaside accepts"
        }
    }
}
