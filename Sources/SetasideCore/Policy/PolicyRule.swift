/// One rule of a policy pack, with its parameters.
public struct PolicyRule: Sendable, Hashable {
    /// The rule's identifier, e.g. `canteen-reserve-10`; the same id in two packs is
    /// the same rule, and the more specific pack's version wins.
    public var id: String
    /// The rule's name for people, in Chinese.
    public var name: String
    public var kind: RuleKind
    /// Whether falling short of the rule makes a unit short overall.
    public var strength: RuleStrength
    /// Share rules: the required share in basis points (1000 = 10.00%).
    public var thresholdBasisPoints: Int?
    /// Share rules: an encouraged share, shown to users but never deciding `met`.
    public var encouragedBasisPoints: Int?
    /// The first year the encouraged share is shown; nil for every year.
    public var encouragedFromYear: Int?
    /// Channels whose purchases count; nil means every channel.
    public var allowedChannels: Set<PurchaseChannel>?
    /// Categories whose purchases count; nil means the kind's default.
    public var eligibleCategories: Set<PurchaseCategory>?
    /// Packing rules: the yearly minimum.
    public var minimum: Money?
    /// Packing rules: the unit levels that owe this minimum.
    public var unitLevels: Set<UnitLevel>?
    /// Festival rules: festivals required, and the target shown to users.
    public var requiredCount: Int?
    public var targetCount: Int?

    public init(
        id: String, name: String, kind: RuleKind, strength: RuleStrength = .required,
        thresholdBasisPoints: Int? = nil, encouragedBasisPoints: Int? = nil, encouragedFromYear: Int? = nil,
        allowedChannels: Set<PurchaseChannel>? = nil, eligibleCategories: Set<PurchaseCategory>? = nil,
        minimum: Money? = nil, unitLevels: Set<UnitLevel>? = nil,
        requiredCount: Int? = nil, targetCount: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.strength = strength
        self.thresholdBasisPoints = thresholdBasisPoints
        self.encouragedBasisPoints = encouragedBasisPoints
        self.encouragedFromYear = encouragedFromYear
        self.allowedChannels = allowedChannels
        self.eligibleCategories = eligibleCategories
        self.minimum = minimum
        self.unitLevels = unitLevels
        self.requiredCount = requiredCount
        self.targetCount = targetCount
    }

    /// The encouraged share shown in `year`, if any.
    public func encouragedBasisPoints(in year: Int) -> Int? {
        guard let from = encouragedFromYear, year < from else { return encouragedBasisPoints }
        return nil
    }

    /// The categories that count toward this rule.
    public var categories: Set<PurchaseCategory> {
        eligibleCategories ?? kind.defaultCategories
    }

    /// Whether a purchase made through `channel` counts.
    public func allows(_ channel: PurchaseChannel) -> Bool {
        allowedChannels?.contains(channel) ?? true
    }
}

/// How a rule is computed. The kind is code; its figures are data.
public enum RuleKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// A share of the canteen food base bought from poverty-relieved counties
    /// (`canteen-reserve-10`). Applies to units with a canteen.
    case canteenShare
    /// A share of the canteen food base bought from poverty-relieved villages under a
    /// directed agreement covering the order date (`five-entries-reserve-20`).
    /// Applies to units with 五进 tasks.
    case directedShare
    /// A share of the declared union welfare budget spent on products of
    /// poverty-relieved origins (`union-welfare-30`). Applies to assisting units.
    case unionShare
    /// A count of distinct festivals with gifts from poverty-relieved origins
    /// (`union-festivals`). Applies to every unit.
    case festivals
    /// A yearly minimum of packing purchases from the unit's assisted villages
    /// (`packing-city-20000`, `packing-district-10000`). Applies to assisting units
    /// of the rule's levels.
    case packing

    /// Whether a pack's rule of this kind also binds units assisting villages in its
    /// jurisdiction (packing and union rules), not only units of its jurisdiction.
    public var followsAssistedVillages: Bool {
        switch self {
        case .unionShare, .festivals, .packing: true
        case .canteenShare, .directedShare: false
        }
    }

    /// The categories a rule of this kind counts when the pack names none.
    public var defaultCategories: Set<PurchaseCategory> {
        switch self {
        case .canteenShare, .directedShare: [.canteenFood]
        case .unionShare: [.unionWelfare, .unionFestival]
        case .festivals: [.unionFestival]
        case .packing: [.packing]
        }
    }
}
