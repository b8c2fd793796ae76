/// Evaluates the rules of DOMAIN.md for one unit and year. Pure: the facts come in,
/// the results go out.
public enum ComplianceEvaluator {
    /// One result per selected rule, in the rules' order.
    public static func evaluate(_ facts: UnitFacts, rules: [SelectedRule]) -> [RuleResult] {
        rules.map { evaluate(facts, rule: $0.rule, pack: $0.packID) }
    }

    /// The result of one rule.
    public static func evaluate(_ facts: UnitFacts, rule: PolicyRule, pack: String) -> RuleResult {
        var result = RuleResult(rule: rule.id, name: rule.name, pack: pack, kind: rule.kind, strength: rule.strength,
                                status: .notApplicable)
        if let reason = notApplicableReason(facts, rule) {
            result.notes = [reason]
            return result
        }
        switch rule.kind {
        case .canteenShare, .directedShare, .unionShare:
            func isEligible(_ bucket: PurchaseBucket) -> Bool {
                rule.categories.contains(bucket.category) && rule.allows(bucket.channel) && originQualifies(bucket, for: rule.kind)
            }
            if rule.kind == .unionShare {
                let declared = facts.declaration?.unionWelfareBudget
                return share(result, rule: rule, facts: facts, base: declared ?? .zero, declaredBase: declared,
                             eligible: facts.total(where: isEligible))
            }
            let declared = facts.declaration?.canteenFoodTotal
            // The larger of declared and logged: declaring a small total cannot make a unit
            // compliant. A shared canteen's declaring unit takes the whole group's.
            let base = max(declared ?? .zero, facts.loggedCanteenFood)
            result.notes += sharedCanteenNotes(facts)
            return share(result, rule: rule, facts: facts, base: base, declaredBase: declared,
                         eligible: facts.canteenTotal(where: isEligible))
        case .festivals:
            return festivals(result, rule: rule, facts: facts)
        case .packing:
            return packing(result, rule: rule, facts: facts)
        }
    }

    /// Whether a bucket's origin counts for a share rule: a poverty-relieved county for
    /// the 10% rule, a relieved village under a directed agreement for the 20% rule, any
    /// relieved origin for the union rule.
    static func originQualifies(_ bucket: PurchaseBucket, for kind: RuleKind) -> Bool {
        switch kind {
        case .canteenShare: bucket.countyPovertyRelieved
        case .directedShare: bucket.directedFromRelievedVillage
        case .unionShare: bucket.originPovertyRelieved
        case .festivals, .packing: false
        }
    }

    /// Why `rule` does not bind the unit of `facts` that year, or nil when it does.
    static func notApplicableReason(_ facts: UnitFacts, _ rule: PolicyRule) -> String? {
        let unit = facts.unit
        let noCanteen = facts.declaration?.hasCanteen == false
            ? "无食堂 declared for \(facts.year)" : "no canteen (无食堂)"
        switch rule.kind {
        case .canteenShare:
            return !facts.hasCanteen ? noCanteen : facts.sharedBy.map(sharedByNote)
        case .directedShare:
            // Seed 003 asks it of canteens (and supermarkets): without one it binds nothing.
            return !unit.fiveEntries ? "no 五进 tasks" : !facts.hasCanteen ? noCanteen : facts.sharedBy.map(sharedByNote)
        case .unionShare:
            return unit.assisting ? nil : "not an assisting unit"
        case .festivals:
            return facts.declaration?.unionPurchaseNeed == false
                ? "the union declared no purchase needs for \(facts.year)" : nil
        case .packing:
            if !unit.assisting {
                return "not an assisting unit"
            } else if !(rule.unitLevels ?? []).contains(unit.level) {
                return "the rule binds \((rule.unitLevels ?? []).map(\.rawValue).sorted().joined(separator: "/"))-level units; this unit is \(unit.level.rawValue)-level"
            } else {
                return nil
            }
        }
    }

    /// Why a shared canteen's member owes no canteen or directed rule of its own.
    static func sharedByNote(_ declarer: UnitReference) -> String {
        "shared canteen (共用食堂) declared by \(declarer.creditCode) \(declarer.name)"
    }

    /// The note of a shared canteen's declaring unit: whose purchases its canteen rules take.
    static func sharedCanteenNotes(_ facts: UnitFacts) -> [String] {
        guard !facts.sharedMembers.isEmpty else { return [] }
        let members = facts.sharedMembers.map { "\($0.unit.creditCode) \($0.unit.name)" }.joined(separator: ", ")
        return ["declares for the shared canteen (共用食堂) of \(members): their canteen food and counted purchases count here"]
    }

    /// A share rule: met when eligible / base ≥ threshold, decided by cross-multiplication,
    /// and only when the year was declared.
    static func share(
        _ result: RuleResult, rule: PolicyRule, facts: UnitFacts, base: Money, declaredBase: Money?, eligible: Money
    ) -> RuleResult {
        var result = result
        // The canteen rule decides by an approved lower ratio when the year has one.
        let waiver = rule.kind == .canteenShare ? facts.declaration?.waiver : nil
        let threshold = Int64(waiver?.basisPoints ?? rule.thresholdBasisPoints ?? 0)
        if let waiver {
            result.waiver = waiver
            result.notes.append(waiver.description)
        }
        if rule.kind == .canteenShare, let declared = facts.declaration?.declaredBasisPoints, Int64(declared) < threshold {
            result.notes.append("the declared ratio \(Ratio.text(basisPoints: declared))% is below the required "
                                + "\(Ratio.text(basisPoints: Int(threshold)))%")
        }
        let required = Share.required(base: base, basisPoints: threshold)
        result.thresholdBasisPoints = Int(threshold)
        result.encouragedBasisPoints = rule.encouragedBasisPoints(in: facts.year)
        result.base = base
        result.required = .money(required)
        result.actual = .money(eligible)
        result.shortfall = .money(max(.zero, required - eligible))
        result.ratio = Percentage.display(actual: eligible, base: base)
        result.projection = projection(facts: facts, eligible: eligible, declaredBase: declaredBase,
                                       loggedBase: rule.kind == .unionShare ? nil : facts.loggedCanteenFood)
        if let encouraged = rule.encouragedBasisPoints(in: facts.year) {
            result.encouraged = .money(Share.required(base: base, basisPoints: Int64(encouraged)))
        }
        let meetsThreshold = Share.meets(eligible: eligible, base: base, basisPoints: threshold)
        if let declaration = facts.declaration, let declaredBase {
            // The 832 declaration has one reserve figure: it answers the canteen rule only.
            if rule.kind == .canteenShare {
                result.declarationCovers = Share.meets(
                    eligible: declaration.reservedAmount, base: declaredBase, basisPoints: threshold)
            }
            if base == .zero {
                // A rule that binds the unit with nothing to take a share of is not a pass.
                result.status = .short
                result.notes.append(rule.kind == .unionShare
                    ? "no union welfare budget declared for \(facts.year)"
                    : "no canteen food total declared or logged for \(facts.year); a unit without a canteen declares 无食堂")
                return result
            }
            result.status = meetsThreshold ? .met : .short
            if declaredBase < base {
                result.notes.append("logged canteen food \(base.yuanString) exceeds the declared \(declaredBase.yuanString); the logged total is the base")
            }
        } else {
            result.status = .short
            result.notes.append("no declaration for \(facts.year)")
        }
        return result
    }

    /// The year-end ratio at the pace so far, while `facts.asOf` falls in the year: after
    /// `e` of the year's `D` days, eligible purchases reach `eligible × D / e`; the base is
    /// the declared figure, or for a canteen rule the larger of it and the logged canteen
    /// food at the same pace. As one fraction in fen × days:
    /// `eligible × D / max(declared × e, logged × D)`. Nil when there is no base or the
    /// figures are too large to scale.
    static func projection(facts: UnitFacts, eligible: Money, declaredBase: Money?, loggedBase: Money?) -> String? {
        guard let asOf = facts.asOf, asOf.year == facts.year else { return nil }
        let days = Int64(CalendarDate.daysInYear(facts.year)), elapsed = Int64(asOf.dayOfYear)
        func scaled(_ money: Money?, _ factor: Int64) -> Int64? {
            let (value, overflow) = (money ?? .zero).fen.multipliedReportingOverflow(by: factor)
            return overflow ? nil : value
        }
        guard let numerator = scaled(eligible, days), let declared = scaled(declaredBase, elapsed),
              let logged = scaled(loggedBase, days) else { return nil }
        return Percentage.display(actual: Money(fen: numerator), base: Money(fen: max(declared, logged)))
    }

    static func festivals(_ result: RuleResult, rule: PolicyRule, facts: UnitFacts) -> RuleResult {
        var result = result
        var byFestival: [String: Money] = [:]
        for bucket in facts.counted
        where rule.categories.contains(bucket.category) && rule.allows(bucket.channel) && bucket.originPovertyRelieved {
            if let festival = bucket.festival { byFestival[festival, default: .zero] += bucket.amount }
        }
        let count = byFestival.values.filter { $0 > .zero }.count
        let required = rule.requiredCount ?? 1
        result.required = .count(required)
        result.actual = .count(count)
        result.shortfall = .count(max(0, required - count))
        result.encouraged = rule.targetCount.map(RuleQuantity.count)
        result.status = count >= required ? .met : .short
        return result
    }

    static func packing(_ result: RuleResult, rule: PolicyRule, facts: UnitFacts) -> RuleResult {
        var result = result
        var byVillage: [String: Money] = [:]
        for bucket in facts.counted where rule.categories.contains(bucket.category) && rule.allows(bucket.channel) {
            if let village = bucket.assistedVillage { byVillage[village, default: .zero] += bucket.amount }
        }
        let actual = byVillage.values.reduce(Money.zero, +)
        let minimum = rule.minimum ?? .zero
        result.required = .money(minimum)
        result.actual = .money(actual)
        result.shortfall = .money(max(.zero, minimum - actual))
        result.villages = byVillage.sorted { $0.key < $1.key }.map { VillageAmount(village: $0.key, amount: $0.value) }
        result.status = actual >= minimum ? .met : .short
        return result
    }
}
