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
    /// The rules in force in `year` for a unit whose region has the ancestry `ancestry`
    /// (the unit's own region first, the country root last) and whose assisted villages
    /// that year have the ancestries `assisted` (each village first).
    ///
    /// A pack applies when it is in force and its jurisdiction is in the unit's
    /// ancestry; its rules that follow assisted villages (packing and union rules,
    /// `RuleKind.followsAssistedVillages`) also apply when its jurisdiction is in an
    /// assisted village's ancestry: seed 003 binds the city's units that assist the
    /// county's villages. Where packs set the same rule id, the most specific
    /// jurisdiction wins; between packs of the same depth, the later `yearFrom`, then
    /// the greater id. A chosen rule without an encouraged share takes the one of the
    /// broader pack it overrides (the 2024 notice encourages 15% beside every pack's
    /// canteen rule). Rules come in the order of the broadest pack first, each pack in
    /// its own order.
    public static func rules(ancestry: [DivisionCode], assisted: [[DivisionCode]] = [], year: Int,
                             packs: [PolicyPack]) -> [SelectedRule] {
        let own = depths(ancestry)
        var viaVillages: [DivisionCode: Int] = [:]
        for villageAncestry in assisted {
            viaVillages.merge(depths(villageAncestry)) { max($0, $1) }
        }
        struct Candidate {
            var depth: Int
            var pack: PolicyPack
            var rule: PolicyRule
        }
        var candidates: [Candidate] = []
        for pack in packs where pack.isInForce(in: year) {
            for rule in pack.rules {
                let byRegion = own[pack.jurisdiction]
                let byVillage = rule.kind.followsAssistedVillages ? viaVillages[pack.jurisdiction] : nil
                guard let depth = [byRegion, byVillage].compactMap({ $0 }).max() else { continue }
                candidates.append(Candidate(depth: depth, pack: pack, rule: rule))
            }
        }
        // Stable: a pack's rules keep their order among candidates of equal rank.
        let ranked = candidates.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.depth != y.depth { return x.depth < y.depth }
            if x.pack.yearFrom != y.pack.yearFrom { return x.pack.yearFrom < y.pack.yearFrom }
            if x.pack.id != y.pack.id { return x.pack.id < y.pack.id }
            return a.offset < b.offset
        }.map(\.element)
        // Later candidates are more specific: they overwrite, keeping the position where
        // the rule first appeared.
        var order: [String] = []
        var chosen: [String: SelectedRule] = [:]
        for candidate in ranked {
            var rule = candidate.rule
            if let broader = chosen[rule.id] {
                if rule.encouragedBasisPoints == nil {
                    rule.encouragedBasisPoints = broader.rule.encouragedBasisPoints
                    rule.encouragedFromYear = broader.rule.encouragedFromYear
                }
            } else {
                order.append(rule.id)
            }
            chosen[rule.id] = SelectedRule(packID: candidate.pack.id, rule: rule)
        }
        return order.map { chosen[$0]! }
    }

    /// The declaration deadline of `year` for a unit of the region with `ancestry`: that
    /// of the most specific pack in force there that sets one for the year (between
    /// packs of one depth, the later `yearFrom`, then the greater id); nil when none does.
    public static func deadline(ancestry: [DivisionCode], year: Int, packs: [PolicyPack]) -> CalendarDate? {
        let own = depths(ancestry)
        return packs
            .filter { $0.isInForce(in: year) && own[$0.jurisdiction] != nil && $0.deadlines[year] != nil }
            .max { a, b in
                let (da, db) = (own[a.jurisdiction]!, own[b.jurisdiction]!)
                if da != db { return da < db }
                if a.yearFrom != b.yearFrom { return a.yearFrom < b.yearFrom }
                return a.id < b.id
            }?.deadlines[year]
    }

    /// Each code of an ancestry (own region first, root last) with its depth: the
    /// deeper region, the larger.
    private static func depths(_ ancestry: [DivisionCode]) -> [DivisionCode: Int] {
        var depthOf: [DivisionCode: Int] = [:]
        for (index, code) in ancestry.enumerated() where depthOf[code] == nil {
            depthOf[code] = ancestry.count - index
        }
        return depthOf
    }
}
