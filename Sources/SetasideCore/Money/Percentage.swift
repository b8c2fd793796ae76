/// Display of ratios as percentages, for reports only.
///
/// Decisions (met / not met) never use these strings: they cross-multiply fen.
/// Everything here is integer arithmetic; no floating point.
public enum Percentage {
    /// `actual / base` as a percentage with two decimals, rounded half away from zero
    /// (`12500 / 120000` → `"10.42"`, `1 / 800` → `"0.13"`, `-1 / 800` → `"-0.13"`).
    /// Nil when `base` is zero or negative (no meaningful ratio).
    public static func display(actual: Money, base: Money) -> String? {
        guard base.fen > 0 else { return nil }
        let b = UInt64(base.fen)
        let m = actual.fen.magnitude
        // m / b = whole + r / b; hundredths of a percent of the fraction = r * 10000 / b.
        var whole = m / b
        let r = m % b
        let product = r.multipliedFullWidth(by: 10_000)        // < b * 2^64, so the quotient fits
        var (frac, rem) = b.dividingFullWidth(product)          // frac in 0..<10000
        if rem >= b - rem { frac += 1 }                          // 2 * rem >= b, without overflow
        if frac == 10_000 { frac = 0; whole += 1 }
        // The percentage is whole * 100 + frac / 100, with frac % 100 hundredths.
        let percentHigh = frac / 100
        let hundredths = frac % 100
        let integerPart = whole == 0 ? "\(percentHigh)" : "\(whole)\(percentHigh < 10 ? "0" : "")\(percentHigh)"
        let body = "\(integerPart).\(hundredths < 10 ? "0" : "")\(hundredths)"
        let isZero = whole == 0 && frac == 0
        return actual.fen < 0 && !isZero ? "-" + body : body
    }
}
