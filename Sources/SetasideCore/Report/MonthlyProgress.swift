/// Eligible spend by month against the pace a share rule's requirement needs: the rule's
/// figures taken at each month's end (the compliance report as of that day), added up
/// over the units of a scope (one unit's dashboard, or a region's).
public struct MonthlyProgress: Sendable, Equatable {
    /// The rule, by identifier and name (the first required canteen-share rule).
    public var rule: String
    public var name: String
    /// Eligible spend up to the end of each month shown (January first).
    public var cumulative: [Money]
    /// What the rule requires for the year, as of the last month shown.
    public var required: Money

    public init(rule: String, name: String, cumulative: [Money], required: Money) {
        self.rule = rule
        self.name = name
        self.cumulative = cumulative
        self.required = required
    }

    /// Eligible spend in each month: the difference of the month ends (a reversal may
    /// make a month negative).
    public var monthly: [Money] {
        cumulative.indices.map { $0 == 0 ? cumulative[0] : cumulative[$0] - cumulative[$0 - 1] }
    }

    /// The spend needed by the end of `month` (1–12) to keep pace: the requirement spread
    /// evenly over the year, rounded up to the fen.
    public func pace(month: Int) -> Money {
        let (product, overflow) = required.fen.multipliedReportingOverflow(by: Int64(month))
        let fen = overflow ? required.fen / 12 * Int64(month) : (product + 11) / 12
        return Money(fen: max(0, fen))
    }

    /// The progress of the first required canteen-share rule over `monthEnds` (the
    /// reports as of each month's end, January first); nil when no unit is bound by one.
    public static func canteenShare(_ monthEnds: [ComplianceReport]) -> MonthlyProgress? {
        guard let last = monthEnds.last else { return nil }
        func isCanteen(_ result: RuleResult) -> Bool {
            result.kind == .canteenShare && result.strength == .required && result.status != .notApplicable
        }
        guard let first = last.units.lazy.flatMap(\.rules).first(where: isCanteen) else { return nil }
        func sum(_ report: ComplianceReport, _ figure: (RuleResult) -> RuleQuantity?) -> Money {
            report.units.reduce(Money.zero) { total, unit in
                unit.rules.reduce(total) { total, rule in
                    guard rule.rule == first.rule, isCanteen(rule), case .money(let money)? = figure(rule) else { return total }
                    return total + money
                }
            }
        }
        return MonthlyProgress(rule: first.rule, name: first.name, cumulative: monthEnds.map { sum($0, \.actual) },
                               required: sum(last, \.required))
    }
}
