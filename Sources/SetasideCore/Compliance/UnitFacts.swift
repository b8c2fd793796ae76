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

    /// For a shared canteen's declaring unit: the members it declares for, with their
    /// buckets of the year (共用食堂).
    public var sharedMembers: [SharedMember] = []
    /// For a member of a shared canteen: the unit that declares for the group.
    public var sharedBy: UnitReference?

    /// The buckets of the canteen: the unit's own, and those of every member of a shared
    /// canteen it declares for. The canteen and directed rules read these.
    public var canteenBuckets: [PurchaseBucket] {
        sharedMembers.isEmpty ? buckets : buckets + sharedMembers.flatMap(\.buckets)
    }

    /// Canteen food purchases logged for the year by the canteen (`canteenBuckets`),
    /// whatever their channel or origin, rejected ones included: a rejection takes a
    /// purchase out of what counts toward a rule, not out of what the canteen bought.
    public var loggedCanteenFood: Money {
        canteenBuckets.lazy.filter { $0.category == .canteenFood }.reduce(.zero) { $0 + $1.amount }
    }

    /// The sum of the canteen's counted buckets (`canteenBuckets`, rejected ones left
    /// out) that satisfy `isEligible`.
    public func canteenTotal(where isEligible: (PurchaseBucket) -> Bool) -> Money {
        var sum = Money.zero
        for bucket in canteenBuckets where !bucket.rejected && isEligible(bucket) { sum += bucket.amount }
        return sum
    }

    /// The buckets that count toward rules: every one but the rejected.
    public var counted: some Sequence<PurchaseBucket> { buckets.lazy.filter { !$0.rejected } }

    /// The sum of the counted buckets that satisfy `isEligible`.
    public func total(where isEligible: (PurchaseBucket) -> Bool) -> Money {
        counted.filter(isEligible).reduce(.zero) { $0 + $1.amount }
    }
}

/// A member of a shared canteen, with its buckets of the year.
public struct SharedMember: Sendable {
    public var unit: UnitReference
    public var buckets: [PurchaseBucket]

    public init(unit: UnitReference, buckets: [PurchaseBucket]) {
        self.unit = unit
        self.buckets = buckets
    }
}
