/// Share arithmetic in integer fen and basis points (1000 = 10.00%).
public enum Share {
    /// Whether `eligible / base ≥ basisPoints / 10000`, by cross-multiplication:
    /// exactly 10.00% passes, one fen less fails.
    public static func meets(eligible: Money, base: Money, basisPoints: Int64) -> Bool {
        eligible.fen.multipliedFullWidth(by: 10_000) >= base.fen.multipliedFullWidth(by: basisPoints)
    }

    /// The smallest amount that meets the share: ⌈base × basisPoints / 10000⌉.
    public static func required(base: Money, basisPoints: Int64) -> Money {
        // Full width: a base near Int64.max fen times 10000 basis points still fits.
        let product = base.fen.multipliedFullWidth(by: basisPoints)
        let (quotient, remainder) = Int64(10_000).dividingFullWidth(product)
        return Money(fen: remainder > 0 ? quotient + 1 : quotient)
    }
}
