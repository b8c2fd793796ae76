/// The compliance of every unit in scope for one year.
public struct ComplianceReport: Sendable {
    public var year: Int
    public var units: [UnitCompliance]

    public init(year: Int, units: [UnitCompliance]) {
        self.year = year
        self.units = units
    }
}

/// One unit's results for the year.
public struct UnitCompliance: Sendable {
    public var creditCode: String
    public var name: String
    public var region: String
    /// The unit's level (province, city, district, county, township), when known.
    public var level: UnitLevel?
    public var rules: [RuleResult]
    /// Where the year's declaration stands.
    public var declaration: DeclarationState
    /// The year's declaration deadline for the unit, when a pack sets one.
    public var deadline: CalendarDate?
    /// The return of the latest version, when the declaration was sent back.
    public var returned: DeclarationReturn?
    /// For a member of a shared canteen: the unit that declares for the group.
    public var sharedBy: UnitReference?
    /// For a shared canteen's declaring unit: the members it declares for.
    public var sharedMembers: [UnitReference] = []
    /// The units above it by supervising unit, nearest first.
    public var supervisors: [UnitReference] = []
    /// The supervising budget unit (主管预算单位), if any: the first of `supervisors`.
    public var parent: String? { supervisors.first?.creditCode }
    /// Its region and the regions above it, nearest first.
    public var regions: [RegionReference] = []
    /// Whether it has a canteen that year (its declaration says, else its registration).
    public var hasCanteen = false
    /// The declaration that counts for the year (the latest not returned), if any.
    public var plan: Declaration?

    public init(creditCode: String, name: String, region: String, rules: [RuleResult],
                declaration: DeclarationState = .declared, deadline: CalendarDate? = nil,
                returned: DeclarationReturn? = nil, sharedBy: UnitReference? = nil, sharedMembers: [UnitReference] = [],
                supervisors: [UnitReference] = [], regions: [RegionReference] = []) {
        self.creditCode = creditCode
        self.name = name
        self.region = region
        self.rules = rules
        self.declaration = declaration
        self.deadline = deadline
        self.returned = returned
        self.sharedBy = sharedBy
        self.sharedMembers = sharedMembers
        self.supervisors = supervisors
        self.regions = regions
    }

    /// The unit falls short of at least one required rule (未达标); an encouraged rule
    /// that is short is reported, but does not make the unit short.
    public var isShort: Bool { rules.contains { $0.status == .short && $0.strength == .required } }

    /// The unit's overall result (达标 / 未达标): `met` when every applicable required rule
    /// is met, `short` when one is short, `notApplicable` when no required rule applies.
    /// Encouraged rules never decide it.
    public var overall: RuleStatus {
        let required = rules.filter { $0.strength == .required && $0.status != .notApplicable }
        if required.isEmpty { return .notApplicable }
        return required.contains { $0.status == .short } ? .short : .met
    }
}

/// A region named beside a unit's result: its code, name and level.
public struct RegionReference: Sendable, Hashable {
    public var code: String
    public var name: String
    public var level: String

    public init(code: String, name: String, level: String) {
        self.code = code
        self.name = name
        self.level = level
    }
}
