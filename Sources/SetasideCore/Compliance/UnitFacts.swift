/// Everything the rules read about one unit in one year.
public struct UnitFacts: Sendable {
    public var unit: UnitProfile
    public var year: Int
    public var declaration: Declaration?
    public var buckets: [PurchaseBucket]
    /// The day the figures are taken on. While it falls in `year`, share rules also give
    /// a projection of the year-end ratio at the pace so far; nil gives none.
    public var asOf: CalendarDate?

    public init(unit: UnitProfile, year: Int, declaration: Declaration?, buckets: [PurchaseBucket],
                asOf: CalendarDate? = nil) {
        self.unit = unit
        self.year = year
        self.declaration = declaration
        self.buckets = buckets
        self.asOf = asOf
    }

    /// Whether the unit has a canteen that year: as declared (有食堂 / 无食堂), else the
    /// unit's own flag.
    public var hasCanteen: Bool { declaration?.hasCanteen ?? unit.hasCanteen }

    /// Canteen food purchases logged for the year, whatever their channel or origin,
    /// rejected ones included: a rejection takes a purchase out of what counts toward a
    /// rule, not out of what the canteen bought.
    public var loggedCanteenFood: Money {
        buckets.lazy.filter { $0.category == .canteenFood }.reduce(.zero) { $0 + $1.amount }
    }

    /// The buckets that count toward rules: every one but the rejected.
    public var counted: some Sequence<PurchaseBucket> { buckets.lazy.filter { !$0.rejected } }

    /// The sum of the counted buckets that satisfy `isEligible`.
    public func total(where isEligible: (PurchaseBucket) -> Bool) -> Money {
        counted.filter(isEligible).reduce(.zero) { $0 + $1.amount }
    }
}
