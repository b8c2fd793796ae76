/// Whether a unit meets a rule.
public enum RuleStatus: String, Sendable, Codable, Hashable {
    case met
    case short
    /// The rule does not bind this unit (no canteen, not assisting…): never `met`.
    case notApplicable
}

/// A figure of a rule: money for share and packing rules, a count for festivals.
public enum RuleQuantity: Sendable, Hashable, CustomStringConvertible {
    case money(Money)
    case count(Int)

    /// Money as yuan with two decimals, a count as digits.
    public var description: String {
        switch self {
        case .money(let money): money.yuanString
        case .count(let count): String(count)
        }
    }
}

/// The evaluation of one rule for one unit and year.
public struct RuleResult: Sendable, Hashable {
    public var rule: String
    public var name: String
    public var pack: String
    public var kind: RuleKind
    /// Whether a `short` here makes the unit short overall.
    public var strength: RuleStrength
    public var status: RuleStatus
    /// The base of a share rule; nil for counts, packing and rules that do not apply.
    public var base: Money?
    public var required: RuleQuantity?
    public var actual: RuleQuantity?
    public var shortfall: RuleQuantity?
    /// actual / base as a percentage with two decimals (half-up); nil when there is no base.
    public var ratio: String?
    /// Share rules while the year is in progress: the ratio the year would end with if
    /// purchases went on at the pace so far (same display as `ratio`); nil otherwise.
    public var projection: String?
    /// Share rules: the share that decides (the waiver's when one applies) and the
    /// encouraged share, in basis points (1000 = 10.00%). Not in the report's JSON.
    public var thresholdBasisPoints: Int?
    public var encouragedBasisPoints: Int?
    /// The encouraged figure, shown beside the required one; never decides `met`.
    public var encouraged: RuleQuantity?
    /// Share rules with a declaration: the declared reserve covers the threshold of the
    /// declared total.
    public var declarationCovers: Bool?
    /// The canteen rule: the approved lower ratio it decided by, if the year has one.
    public var waiver: Waiver?
    /// Packing rules: the counted amount by assisted village.
    public var villages: [VillageAmount]
    /// Why the rule does not apply, or what else a reader should know.
    public var notes: [String]

    public init(
        rule: String, name: String, pack: String, kind: RuleKind, strength: RuleStrength = .required,
        status: RuleStatus,
        base: Money? = nil, required: RuleQuantity? = nil, actual: RuleQuantity? = nil,
        shortfall: RuleQuantity? = nil, ratio: String? = nil, projection: String? = nil, encouraged: RuleQuantity? = nil,
        declarationCovers: Bool? = nil, villages: [VillageAmount] = [], notes: [String] = []
    ) {
        self.rule = rule
        self.name = name
        self.pack = pack
        self.kind = kind
        self.strength = strength
        self.status = status
        self.base = base
        self.required = required
        self.actual = actual
        self.shortfall = shortfall
        self.ratio = ratio
        self.projection = projection
        self.encouraged = encouraged
        self.declarationCovers = declarationCovers
        self.villages = villages
        self.notes = notes
    }
}

/// A packing amount bought from one assisted village.
public struct VillageAmount: Sendable, Hashable {
    public var village: String
    public var amount: Money

    public init(village: String, amount: Money) {
        self.village = village
        self.amount = amount
    }
}
