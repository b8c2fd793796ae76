/// The circulated notice (通报) on the canteen reservation: how many units have declared,
/// started and met the canteen rule, the sums declared, reserved and bought, rankings of
/// the regions one level down and of the units, and the units named: not declared, not
/// started, short and, while the year runs, on pace to end it short. Made from the
/// compliance report, computed by the same code.
///
/// The canteen rule is each unit's required canteen-share rule (`canteen-reserve-10` or
/// the pack's version of it).
public struct Notice: Sendable {
    public var year: Int
    public var scope: RegionReference
    public var asOf: CalendarDate?
    public var madeAt: String
    /// The counts over every unit in scope.
    public var totals: NoticeCounts
    /// The same by level group: 省级, 市级, 县级 (district and county units), 乡镇级.
    public var byLevel: [(group: LevelGroup, counts: NoticeCounts)]
    /// The regions one level below the scope, by completion (best first); units sitting
    /// in the scope's own region form a row of their own (本级).
    public var regions: [NoticeRanking]
    /// The units the canteen rule applies to, by completion (best first).
    public var units: [NoticeRanking]
    public var notDeclared: [NamedUnit]
    public var notStarted: [NamedUnit]
    public var short: [NamedUnit]
    /// While the year runs: the units not yet meeting the canteen rule whose year-end
    /// projection falls short, with what they need to buy each month from now on.
    public var warnings: [NamedUnit]

    /// A level group of the notice's split.
    public enum LevelGroup: String, Sendable, CaseIterable {
        case province, city, county, township, unknown

        public init(_ level: UnitLevel?) {
            switch level {
            case .province?: self = .province
            case .city?: self = .city
            case .district?, .county?: self = .county
            case .township?: self = .township
            case nil: self = .unknown
            }
        }

        public var chinese: String {
            switch self {
            case .province: "省级"
            case .city: "市级"
            case .county: "县（区）级"
            case .township: "乡镇级"
            case .unknown: "未定级"
            }
        }
    }

    public init(report: ComplianceReport, scope: RegionReference, asOf: CalendarDate?, madeAt: String) {
        year = report.year
        self.scope = scope
        self.asOf = asOf
        self.madeAt = madeAt
        let facts = report.units.map(NoticeFacts.init)
        totals = NoticeCounts(facts)
        byLevel = LevelGroup.allCases.compactMap { group in
            let members = facts.filter { LevelGroup($0.unit.level) == group }
            return members.isEmpty ? nil : (group, NoticeCounts(members))
        }
        var groups: [String: (reference: RegionReference, members: [NoticeFacts])] = [:]
        for fact in facts {
            let chain = fact.unit.regions
            let top = chain.firstIndex { $0.code == scope.code } ?? chain.count
            let child = top > 0 ? chain[top - 1] : RegionReference(code: scope.code, name: "\(scope.name)本级", level: scope.level)
            groups[child.code, default: (child, [])].members.append(fact)
        }
        regions = NoticeRanking.ranked(groups.values.map { group in
            NoticeRanking(code: group.reference.code, name: group.reference.name, group.members.compactMap(\.canteen),
                          units: group.members.filter(\.unit.hasCanteen).count)
        })
        units = NoticeRanking.ranked(facts.compactMap { fact in
            fact.canteen.map { NoticeRanking(code: fact.unit.creditCode, name: fact.unit.name, [$0], units: 1) }
        })
        notDeclared = facts.filter(\.isNotDeclared).map { NamedUnit($0.unit) }
        notStarted = facts.filter(\.isNotStarted).map { NamedUnit($0.unit, rule: $0.canteen) }
        short = facts.filter { $0.canteen?.status == .short }.map { NamedUnit($0.unit, rule: $0.canteen) }
        let monthsLeft = asOf.flatMap { $0.year == report.year ? 12 - $0.month + 1 : nil }
        warnings = monthsLeft.map { months in
            facts.filter(\.isOnPaceToFallShort).map { fact in
                var named = NamedUnit(fact.unit, rule: fact.canteen)
                named.monthly = named.shortfall.map { Self.perMonth($0, months: months) }
                return named
            }
        } ?? []
    }

    /// `gap` spread over `months`, rounded up to the fen.
    static func perMonth(_ gap: Money, months: Int) -> Money {
        let months = Int64(max(months, 1))
        return Money(fen: (gap.fen + months - 1) / months)
    }
}

/// What the notice reads of one unit.
struct NoticeFacts: Sendable {
    var unit: UnitCompliance
    /// Its required canteen-share rule, when it applies.
    var canteen: RuleResult?

    init(_ unit: UnitCompliance) {
        self.unit = unit
        canteen = unit.rules.first { $0.kind == .canteenShare && $0.strength == .required && $0.status != .notApplicable }
    }

    /// Declared for the year: its own declaration stands, or a shared canteen's declaring
    /// unit declares for it.
    var isDeclared: Bool { unit.hasCanteen && [.declared, .late, .sharedBy].contains(unit.declaration) }
    /// Has a canteen and no declaration standing (无食堂 units are not counted, as the
    /// provinces report it).
    var isNotDeclared: Bool { unit.hasCanteen && [.missing, .returned].contains(unit.declaration) }
    /// Declared, its canteen rule applies, and nothing eligible bought yet.
    var isNotStarted: Bool {
        isDeclared && unit.declaration != .sharedBy && canteen.map { $0.actual == .money(.zero) } == true
    }
    /// Not meeting the canteen rule yet, and its year-end projection below the share.
    var isOnPaceToFallShort: Bool {
        guard let canteen, canteen.status == .short, isDeclared, let threshold = canteen.thresholdBasisPoints else { return false }
        guard let projection = canteen.projection.flatMap({ SheetCell.percent($0).percentTenThousandths }) else { return true }
        // The projection's hundredths of a percent are basis points.
        return projection < threshold
    }
}

/// The notice's counts over a group of units.
public struct NoticeCounts: Sendable, Hashable {
    public var units = 0
    public var withCanteen = 0
    public var declared = 0
    public var notDeclared = 0
    public var notStarted = 0
    public var met = 0
    public var short = 0
    /// Sums of the declarations standing: canteen food declared and amount reserved.
    public var declaredTotal = Money.zero
    public var reserved = Money.zero
    /// The canteen rule's eligible purchases, summed.
    public var bought = Money.zero

    /// Bought over reserved (执行率), as a percentage with two decimals; nil without a reserve.
    public var executionRate: String? { Percentage.display(actual: bought, base: reserved) }

    init(_ facts: [NoticeFacts]) {
        for fact in facts {
            units += 1
            if fact.unit.hasCanteen { withCanteen += 1 }
            if fact.isDeclared { declared += 1 }
            if fact.isNotDeclared { notDeclared += 1 }
            if fact.isNotStarted { notStarted += 1 }
            if fact.canteen?.status == .met { met += 1 }
            if fact.canteen?.status == .short { short += 1 }
            if fact.isDeclared, let plan = fact.unit.plan {
                declaredTotal += plan.canteenFoodTotal
                reserved += plan.reservedAmount
            }
            if case .money(let actual)? = fact.canteen?.actual { bought += actual }
        }
    }
}

/// A row of a ranking: a region's or a unit's canteen rule, summed.
public struct NoticeRanking: Sendable, Hashable {
    public var code: String
    public var name: String
    /// Units with a canteen (a unit's row: 1).
    public var units: Int
    /// Units the rule applies to, and those meeting it.
    public var applicable: Int
    public var met: Int
    public var base = Money.zero
    public var required = Money.zero
    public var actual = Money.zero
    /// The encouraged amounts, over the bases of the units that have one.
    public var encouraged = Money.zero
    public var encouragedBase = Money.zero

    init(code: String, name: String, _ rules: [RuleResult], units: Int) {
        self.code = code
        self.name = name
        self.units = units
        applicable = rules.count
        met = rules.filter { $0.status == .met }.count
        for rule in rules {
            base += rule.base ?? .zero
            if case .money(let value)? = rule.required { required += value }
            if case .money(let value)? = rule.encouraged {
                encouraged += value
                encouragedBase += rule.base ?? .zero
            }
            if case .money(let value)? = rule.actual { actual += value }
        }
    }

    /// Completion (完成率): eligible bought over required, as a percentage.
    public var completion: String? { Percentage.display(actual: actual, base: required) }
    /// The share bought, and the shares required and encouraged, over the base.
    public var ratio: String? { Percentage.display(actual: actual, base: base) }
    public var requiredRatio: String? { Percentage.display(actual: required, base: base) }
    public var encouragedRatio: String? { Percentage.display(actual: encouraged, base: encouragedBase) }

    /// Best completion first (cross-multiplied: a/r against a′/r′), then by code; rows with
    /// nothing required last.
    static func ranked(_ rows: [NoticeRanking]) -> [NoticeRanking] {
        rows.sorted { left, right in
            switch (left.required > .zero, right.required > .zero) {
            case (true, false): return true
            case (false, true): return false
            case (false, false): return left.code < right.code
            case (true, true):
                let l = left.actual.fen.multipliedFullWidth(by: right.required.fen)
                let r = right.actual.fen.multipliedFullWidth(by: left.required.fen)
                return l != r ? l > r : left.code < right.code
            }
        }
    }
}

/// A unit named in the notice, with its supervising unit and, for the lists that need
/// them, its canteen rule's figures.
public struct NamedUnit: Sendable, Hashable {
    public var creditCode: String
    public var name: String
    public var region: String
    public var supervisor: UnitReference?
    public var required: Money?
    public var actual: Money?
    public var shortfall: Money?
    public var projection: String?
    /// The early warning's monthly amount to close the gap by the year end.
    public var monthly: Money?

    init(_ unit: UnitCompliance, rule: RuleResult? = nil) {
        creditCode = unit.creditCode
        name = unit.name
        region = unit.region
        supervisor = unit.supervisors.first
        if case .money(let value)? = rule?.required { required = value }
        if case .money(let value)? = rule?.actual { actual = value }
        if case .money(let value)? = rule?.shortfall { shortfall = value }
        projection = rule?.projection
    }
}
