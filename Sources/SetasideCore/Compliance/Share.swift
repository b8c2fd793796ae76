/// Share arithmetic in integer fen and basis points (1000 = 10.00%).
public enum Share {
    /// Whether `eligible / base ≥ basisPoints / 10000`, by cross-multiplication:
    /// exactly 10.00% passes, one fen less fails.
    public static func meets(eligible: Money, base: Money, basisPoints: Int64) -> Bool {
        eligible.fen.multipliedFullWidth(by: 10_000) >= base.fen.multipliedFullWidth(by: basisPoints)
    }

    /// The smallest amount that meets the share: ⌈base × basisPoints / 10000⌉.
    public static func required(base: Money, basisPoints: Int64) -> Money {
        let product = base.fen * basisPoints
        let (quotient, remainder) = product.quotientAndRemainder(dividingBy: 10_000)
        return Money(fen: remainder > 0 ? quotient + 1 : quotient)
    }
}
