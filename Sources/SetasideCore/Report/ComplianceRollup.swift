/// The totals of a group of units' results: a supervising unit and every unit below it
/// (主管单位汇总); the assessment's region roll-up takes the same shape.
public struct ComplianceRollup: Sendable, Hashable {
    /// The group's key: the supervising unit's credit code.
    public var key: String
    public var name: String
    /// Units in the group, the supervising unit included when it is in the report.
    public var units: Int
    /// Units whose declaration for the year stands (not missing, not returned).
    public var declared: Int
    /// Units short of at least one required rule (未达标).
    public var short: Int
    /// One entry per rule id, in the order the rules first appear.
    public var rules: [RuleTotals]
    /// A region's level (province, city, county…); nil for a supervising unit.
    public var level: String?

    /// One rule's totals over the group.
    public struct RuleTotals: Sendable, Hashable {
        public var rule: String
        /// Units the rule applies to.
        public var applicable: Int
        /// Units meeting it.
        public var met: Int
        /// Sums over the units it applies to (share rules: base and actual; packing: actual).
        public var base: Money?
        public var actual: Money?

        /// The group's ratio: sum of actual over sum of base, displayed like a unit's; nil
        /// without a base.
        public var ratio: String? {
            guard let base, let actual, base > .zero else { return nil }
            return Percentage.display(actual: actual, base: base)
        }
    }

    /// The roll-up of every supervising unit with units below it in `report`: each over
    /// itself (when in the report) and every unit of the report below it, directly or
    /// through units outside the report (`UnitCompliance.supervisors`, from the stored
    /// tree). Sorted by key.
    public static func bySupervisingUnit(_ report: ComplianceReport) -> [ComplianceRollup] {
        var below: [String: [UnitCompliance]] = [:], names: [String: String] = [:]
        for unit in report.units {
            for supervisor in unit.supervisors {
                below[supervisor.creditCode, default: []].append(unit)
                names[supervisor.creditCode] = supervisor.name
            }
        }
        let byCode = Dictionary(report.units.map { ($0.creditCode, $0) }, uniquingKeysWith: { first, _ in first })
        return below.keys.sorted().map { root in
            let members = (byCode[root].map { [$0] } ?? []) + (below[root] ?? [])
            return rollup(key: root, name: byCode[root]?.name ?? names[root] ?? "", members)
        }
    }

    /// The roll-up of every region of the units' regions and those above them (a county,
    /// its city, its province; the national root aside), each over the units of the
    /// report in it or below it. Sorted by code. `key` is the region's code.
    public static func byRegion(_ report: ComplianceReport) -> [ComplianceRollup] {
        var within: [String: [UnitCompliance]] = [:], regions: [String: RegionReference] = [:]
        for unit in report.units {
            for region in unit.regions where region.code != DivisionCode.country.text {
                within[region.code, default: []].append(unit)
                regions[region.code] = region
            }
        }
        return within.keys.sorted().map { code in
            var rollup = rollup(key: code, name: regions[code]?.name ?? "", within[code] ?? [])
            rollup.level = regions[code]?.level
            return rollup
        }
    }

    /// The totals of `members`.
    public static func rollup(key: String, name: String, _ members: [UnitCompliance]) -> ComplianceRollup {
        var order: [String] = [], totals: [String: RuleTotals] = [:]
        for unit in members {
            for result in unit.rules where result.status != .notApplicable {
                if totals[result.rule] == nil {
                    order.append(result.rule)
                    totals[result.rule] = RuleTotals(rule: result.rule, applicable: 0, met: 0)
                }
                totals[result.rule]!.applicable += 1
                if result.status == .met { totals[result.rule]!.met += 1 }
                if let base = result.base { totals[result.rule]!.base = (totals[result.rule]!.base ?? .zero) + base }
                if case .money(let actual)? = result.actual {
                    totals[result.rule]!.actual = (totals[result.rule]!.actual ?? .zero) + actual
                }
            }
        }
        let declared = members.filter { ![.missing, .returned].contains($0.declaration) }.count
        return ComplianceRollup(key: key, name: name, units: members.count, declared: declared,
                                short: members.filter(\.isShort).count, rules: order.compactMap { totals[$0] })
    }

    /// Its JSON object: `{"creditCode", "name", "units", "declared", "short", "rules": [{"rule",
    /// "applicable", "met", "base", "actual", "ratio"}]}`; a region's has `code` and
    /// `level` in place of `creditCode`.
    public var json: String {
        let rules = rules.map { r in
            "{\"rule\": \(JSONText.string(r.rule)), \"applicable\": \(r.applicable), \"met\": \(r.met), "
                + "\"base\": \(JSONText.optional(r.base?.yuanString)), \"actual\": \(JSONText.optional(r.actual?.yuanString)), "
                + "\"ratio\": \(JSONText.optional(r.ratio))}"
        }
        let head = level.map { "{\"code\": \(JSONText.string(key)), \"name\": \(JSONText.string(name)), \"level\": \(JSONText.string($0)), " }
            ?? "{\"creditCode\": \(JSONText.string(key)), \"name\": \(JSONText.string(name)), "
        return head + "\"units\": \(units), "
            + "\"declared\": \(declared), \"short\": \(short), \"rules\": [\(rules.joined(separator: ", "))]}"
    }
}
