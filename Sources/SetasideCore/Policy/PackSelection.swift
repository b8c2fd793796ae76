/// A rule chosen for a unit, with the pack it comes from.
public struct SelectedRule: Sendable, Hashable {
    public var packID: String
    public var rule: PolicyRule

    public init(packID: String, rule: PolicyRule) {
        self.packID = packID
        self.rule = rule
    }
}

/// Chooses the rules that govern a unit in a year.
public enum PackSelection {
    /// The rules in force for a unit whose region has the given ancestry (the unit's
    /// own region first, the country root last), in `year`.
    ///
    /// A pack applies when its jurisdiction is in the ancestry and it is in force.
    /// Where packs set the same rule id, the most specific jurisdiction wins; between
    /// packs of the same jurisdiction, the later `yearFrom`, then the greater id.
    /// Rules come in the order of the broadest pack first, each pack in its own order.
    public static func rules(ancestry: [DivisionCode], year: Int, packs: [PolicyPack]) -> [SelectedRule] {
        var depthOf: [DivisionCode: Int] = [:]
        for (index, code) in ancestry.enumerated() where depthOf[code] == nil {
            depthOf[code] = ancestry.count - index   // deeper region, larger depth
        }
        let applicable = packs
            .filter { $0.isInForce(in: year) && depthOf[$0.jurisdiction] != nil }
            .sorted { a, b in
                let (da, db) = (depthOf[a.jurisdiction]!, depthOf[b.jurisdiction]!)
                if da != db { return da < db }
                if a.yearFrom != b.yearFrom { return a.yearFrom < b.yearFrom }
                return a.id < b.id
            }
        // Later packs in `applicable` are more specific: they overwrite, keeping the
        // position where the rule first appeared.
        var order: [String] = []
        var chosen: [String: SelectedRule] = [:]
        for pack in applicable {
            for rule in pack.rules {
                if chosen[rule.id] == nil { order.append(rule.id) }
                chosen[rule.id] = SelectedRule(packID: pack.id, rule: rule)
            }
        }
        return order.map { chosen[$0]! }
    }
}
