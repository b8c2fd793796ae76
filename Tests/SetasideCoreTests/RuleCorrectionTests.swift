import Testing
@testable import SetasideCore

/// The rule corrections of issue 11, read from the seeds again (DOMAIN.md): each test
/// fails on the rules as they were before.
@Suite struct RuleCorrectionTests {
    typealias C = ComplianceTests

    static let unionRule = PolicyRule(id: "union-welfare-30", name: "工会福利", kind: .unionShare, thresholdBasisPoints: 3000)
    static let directedRule = PolicyRule(id: "five-entries-reserve-20", name: "五进", kind: .directedShare,
                                         thresholdBasisPoints: 2000)
    static let festivalRule = PolicyRule(id: "union-festivals", name: "节日", kind: .festivals, strength: .encouraged,
                                         requiredCount: 1, targetCount: 2)

    static func evaluate(_ rule: PolicyRule, _ facts: UnitFacts) -> RuleResult {
        ComplianceEvaluator.evaluate(facts, rule: rule, pack: "test")
    }

    @Test func anEncouragedRuleShortNeverMakesTheUnitShort() {
        let facts = UnitFacts(unit: C.unit(), year: 2024, declaration: C.declaration(total: 1_000_000, reserved: 100_000),
                              buckets: [C.bucket(fen: 100_000)])
        let festivals = Self.evaluate(Self.festivalRule, facts)
        #expect(festivals.status == .short && festivals.strength == .encouraged)
        let canteen = Self.evaluate(C.canteenRule, facts)
        #expect(canteen.status == .met)
        #expect(!UnitCompliance(creditCode: "x", name: "x", region: "x", rules: [canteen, festivals]).isShort)
        var required = festivals
        required.strength = .required
        #expect(UnitCompliance(creditCode: "x", name: "x", region: "x", rules: [canteen, required]).isShort)
    }

    @Test func theDeclarationCheckBelongsToTheCanteenRuleOnly() {
        let facts = UnitFacts(unit: C.unit(five: true, assisting: true), year: 2024,
                              declaration: C.declaration(total: 1_000_000, reserved: 100_000, union: 500_000),
                              buckets: [C.bucket(fen: 100_000)])
        #expect(Self.evaluate(C.canteenRule, facts).declarationCovers == true)
        #expect(Self.evaluate(Self.unionRule, facts).declarationCovers == nil)
        #expect(Self.evaluate(Self.directedRule, facts).declarationCovers == nil)
    }

    @Test func aZeroBaseIsShortNotMet() {
        // Declared, but nothing to take a share of: a canteen with no total, a union with no budget.
        let facts = UnitFacts(unit: C.unit(assisting: true), year: 2024, declaration: C.declaration(total: 0), buckets: [])
        let canteen = Self.evaluate(C.canteenRule, facts)
        #expect(canteen.status == .short)
        #expect(canteen.notes.contains { $0.contains("无食堂") })
        let union = Self.evaluate(Self.unionRule, facts)
        #expect(union.status == .short)
        #expect(union.notes.contains { $0.contains("no union welfare budget") })
    }

    @Test func theTwentyPercentRuleNeedsACanteen() {
        let facts = UnitFacts(unit: C.unit(canteen: false, five: true), year: 2024,
                              declaration: C.declaration(total: 1_000_000), buckets: [])
        let directed = Self.evaluate(Self.directedRule, facts)
        #expect(directed.status == .notApplicable)
        #expect(directed.notes == ["no canteen (无食堂)"])
    }

    @Test func aRejectionLeavesTheEligibleSumButStaysInTheBase() {
        // Declared 1 000.00; logged 5 000.00 of which 500.00 eligible and counted, and
        // 1 500.00 eligible but rejected. Base 5 000.00 (with the rejected), eligible 500.00.
        var rejected = C.bucket(fen: 150_000)
        rejected.rejected = true
        let facts = UnitFacts(unit: C.unit(), year: 2024, declaration: C.declaration(total: 100_000),
                              buckets: [C.bucket(fen: 50_000), rejected, C.bucket(.other, relieved: false, fen: 300_000)])
        let result = Self.evaluate(C.canteenRule, facts)
        #expect(result.base == Money(fen: 500_000))
        #expect(result.actual == .money(Money(fen: 50_000)))
        #expect(result.status == .met)   // exactly 10%
        // Without the rejected canteen food in the base, 500.00 of 3 500.00 would read 14.29%.
        #expect(result.ratio == "10.00")
    }

    @Test func theEncouragedShareShowsFromItsFirstYear() {
        var rule = C.canteenRule
        rule.encouragedFromYear = 2024
        let facts = { (year: Int) in
            UnitFacts(unit: C.unit(), year: year, declaration: C.declaration(total: 1_000_000), buckets: [])
        }
        #expect(Self.evaluate(rule, facts(2023)).encouraged == nil)
        #expect(Self.evaluate(rule, facts(2024)).encouraged == .money(Money(fen: 150_000)))
    }
}

/// Packs reaching a unit through the villages it assists, and an encouraged share
/// carried from the broader pack.
@Suite struct AssistedPackSelectionTests {
    func code(_ text: String) -> DivisionCode { try! DivisionCode(parsing: text) }

    var national: PolicyPack {
        PolicyPack(id: "national-baseline", title: "n", jurisdiction: code("100000"), yearFrom: 2021, yearTo: nil, source: "t",
                   rules: [PolicyRule(id: "canteen-reserve-10", name: "c", kind: .canteenShare, thresholdBasisPoints: 1000,
                                      encouragedBasisPoints: 1500, encouragedFromYear: 2024)])
    }

    var pinglu: PolicyPack {
        PolicyPack(id: "pinglu-2022", title: "p", jurisdiction: code("140603"), yearFrom: 2022, yearTo: 2025, source: "t",
                   rules: [PolicyRule(id: "canteen-reserve-10", name: "c", kind: .canteenShare, thresholdBasisPoints: 1000),
                           PolicyRule(id: "five-entries-reserve-20", name: "f", kind: .directedShare, thresholdBasisPoints: 2000),
                           PolicyRule(id: "union-welfare-30", name: "u", kind: .unionShare, thresholdBasisPoints: 3000),
                           PolicyRule(id: "packing-city-20000", name: "k", kind: .packing, minimum: .yuan(20_000),
                                      unitLevels: [.city])])
    }

    let shuozhou = ["140600", "140000", "100000"]
    let pingluVillage = ["140603001201", "140603001", "140603", "140600", "140000", "100000"]

    @Test func aCityUnitAssistingAPingluVillageOwesPinglusPackingAndUnionRulesOnly() {
        let rules = PackSelection.rules(ancestry: shuozhou.map(code), assisted: [pingluVillage.map(code)], year: 2024,
                                        packs: [national, pinglu])
        #expect(rules.map(\.rule.id) == ["canteen-reserve-10", "union-welfare-30", "packing-city-20000"])
        #expect(rules.map(\.packID) == ["national-baseline", "pinglu-2022", "pinglu-2022"])
        // Without the village, the city's unit owes the national rule alone.
        let alone = PackSelection.rules(ancestry: shuozhou.map(code), year: 2024, packs: [national, pinglu])
        #expect(alone.map(\.packID) == ["national-baseline"])
    }

    @Test func aPacksCanteenRuleCarriesTheBroaderEncouragedShare() {
        let county = PackSelection.rules(ancestry: Array(pingluVillage.dropFirst(2)).map(code), year: 2024,
                                         packs: [national, pinglu])
        let canteen = county.first { $0.rule.id == "canteen-reserve-10" }!
        #expect(canteen.packID == "pinglu-2022")
        #expect(canteen.rule.encouragedBasisPoints(in: 2024) == 1500)
        #expect(canteen.rule.encouragedBasisPoints(in: 2023) == nil)
    }
}
