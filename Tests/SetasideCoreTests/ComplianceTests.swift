import Testing
@testable import SetasideCore

/// The rules of DOMAIN.md evaluated on hand-made facts, with no database.
@Suite struct ComplianceTests {
    static let canteenRule = PolicyRule(
        id: "canteen-reserve-10", name: "食堂食材预留份额", kind: .canteenShare, thresholdBasisPoints: 1000,
        encouragedBasisPoints: 1500, allowedChannels: [.platform832],
        eligibleCategories: [.canteenFood, .unionWelfare, .unionFestival])

    static func unit(canteen: Bool = true, five: Bool = false, assisting: Bool = false, level: UnitLevel = .district) -> UnitProfile {
        UnitProfile(creditCode: "91110000101623741K", name: "示例单位", regionCode: "140603", level: level,
                    hasCanteen: canteen, fiveEntries: five, assisting: assisting)
    }

    static func declaration(total: Int64, reserved: Int64 = 0, union: Int64 = 0) -> Declaration {
        Declaration(year: 2024, canteenFoodTotal: Money(fen: total), reservedAmount: Money(fen: reserved),
                    unionWelfareBudget: Money(fen: union))
    }

    static func bucket(_ channel: PurchaseChannel = .platform832, _ category: PurchaseCategory = .canteenFood,
                       relieved: Bool = true, fen: Int64) -> PurchaseBucket {
        PurchaseBucket(channel: channel, category: category, countyPovertyRelieved: relieved,
                       originPovertyRelieved: relieved, amount: Money(fen: fen))
    }

    func canteen(_ facts: UnitFacts) -> RuleResult {
        ComplianceEvaluator.evaluate(facts, rule: Self.canteenRule, pack: "national-baseline")
    }

    @Test func exactlyTenPercentIsMetAndOneFenLessIsShort() {
        // 120 000.00 yuan of canteen food: 12 000.00 is exactly 10%.
        let base: Int64 = 12_000_000
        let exact = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: base, reserved: 1_200_000),
                                      buckets: [Self.bucket(fen: 1_200_000), Self.bucket(.other, relieved: false, fen: base - 1_200_000)]))
        #expect(exact.status == .met)
        #expect(exact.required == .money(Money(fen: 1_200_000)))
        #expect(exact.shortfall == .money(.zero))
        #expect(exact.ratio == "10.00")

        let oneFenLess = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: base),
                                           buckets: [Self.bucket(fen: 1_199_999), Self.bucket(.other, relieved: false, fen: base - 1_199_999)]))
        #expect(oneFenLess.status == .short)
        #expect(oneFenLess.shortfall == .money(Money(fen: 1)))
        #expect(oneFenLess.ratio == "10.00")   // shown rounded, decided exactly
    }

    @Test func theExampleOfTheIssueRoundsTheRatioHalfUp() {
        let result = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: 12_000_000),
                                       buckets: [Self.bucket(fen: 1_250_000)]))
        #expect(result.base == Money(fen: 12_000_000))
        #expect(result.required == .money(Money(fen: 1_200_000)))
        #expect(result.actual == .money(Money(fen: 1_250_000)))
        #expect(result.ratio == "10.42")
        #expect(result.encouraged == .money(Money(fen: 1_800_000)))
        #expect(result.status == .met)
    }

    @Test func theBaseIsTheLargerOfDeclaredAndLogged() {
        // Declared 10 000.00 but logged 50 000.00 of canteen food: the logged total is the base.
        let logged = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: 1_000_000),
                                       buckets: [Self.bucket(fen: 200_000), Self.bucket(.other, relieved: false, fen: 4_800_000)]))
        #expect(logged.base == Money(fen: 5_000_000))
        #expect(logged.required == .money(Money(fen: 500_000)))
        #expect(logged.status == .short)
        #expect(logged.shortfall == .money(Money(fen: 300_000)))

        // Declared more than logged: the declaration is the base.
        let declared = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: 9_000_000),
                                         buckets: [Self.bucket(fen: 600_000)]))
        #expect(declared.base == Money(fen: 9_000_000))
        #expect(declared.status == .short)
    }

    @Test func onlyEligibleChannelsCategoriesAndOriginsCount() {
        let facts = UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: 10_000_000), buckets: [
            Self.bucket(.platform832, .canteenFood, relieved: true, fen: 300_000),      // counts
            Self.bucket(.platform832, .unionWelfare, relieved: true, fen: 200_000),     // counts (2022 notice)
            Self.bucket(.localPlatform, .canteenFood, relieved: true, fen: 5_000_000),  // wrong channel
            Self.bucket(.platform832, .canteenFood, relieved: false, fen: 4_000_000),   // not a relieved county
            Self.bucket(.platform832, .packing, relieved: true, fen: 900_000),          // not an eligible category
        ])
        let result = canteen(facts)
        #expect(result.actual == .money(Money(fen: 500_000)))
        #expect(result.base == Money(fen: 10_000_000))  // union and packing rows are not canteen food
        #expect(result.status == .short)
    }

    @Test func aUnitWithoutCanteenIsNotApplicableNeverMet() {
        let result = canteen(UnitFacts(unit: Self.unit(canteen: false), year: 2024, declaration: nil, buckets: []))
        #expect(result.status == .notApplicable)
        #expect(result.required == nil && result.ratio == nil)
    }

    @Test func aMissingDeclarationIsShortEvenWithPurchases() {
        let result = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: nil,
                                       buckets: [Self.bucket(fen: 2_000_000)]))
        #expect(result.status == .short)
        #expect(result.notes.contains("no declaration for 2024"))
    }

    @Test func theDeclarationCheckComparesReservedWithTheDeclaredTotal() {
        let under = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: 1_000_000, reserved: 99_999),
                                      buckets: [Self.bucket(fen: 100_000)]))
        #expect(under.declarationCovers == false)
        #expect(under.status == .met)   // the purchases meet the rule; the plan did not
        let exact = canteen(UnitFacts(unit: Self.unit(), year: 2024, declaration: Self.declaration(total: 1_000_000, reserved: 100_000),
                                      buckets: []))
        #expect(exact.declarationCovers == true)
    }

    @Test func directedShareNeedsAnAgreementWithARelievedVillage() {
        let rule = PolicyRule(id: "five-entries-reserve-20", name: "五进", kind: .directedShare,
                              thresholdBasisPoints: 2000, eligibleCategories: [.canteenFood])
        var directed = Self.bucket(.directed, .canteenFood, fen: 200_000)
        directed.directedFromRelievedVillage = true
        let facts = UnitFacts(unit: Self.unit(five: true), year: 2024, declaration: Self.declaration(total: 1_000_000),
                              buckets: [directed, Self.bucket(.directed, .canteenFood, fen: 300_000)])
        let met = ComplianceEvaluator.evaluate(facts, rule: rule, pack: "pinglu-2022")
        #expect(met.actual == .money(Money(fen: 200_000)))
        #expect(met.status == .met)
        var shortFacts = facts
        shortFacts.buckets[0].amount = Money(fen: 199_999)
        #expect(ComplianceEvaluator.evaluate(shortFacts, rule: rule, pack: "pinglu-2022").status == .short)
        #expect(ComplianceEvaluator.evaluate(UnitFacts(unit: Self.unit(five: false), year: 2024, declaration: nil, buckets: []),
                                             rule: rule, pack: "pinglu-2022").status == .notApplicable)
    }

    @Test func unionShareUsesTheDeclaredBudgetAndAssistingUnitsOnly() {
        let rule = PolicyRule(id: "union-welfare-30", name: "工会", kind: .unionShare, thresholdBasisPoints: 3000)
        let facts = UnitFacts(unit: Self.unit(assisting: true), year: 2024,
                              declaration: Self.declaration(total: 0, union: 1_000_000), buckets: [
                                  Self.bucket(.other, .unionWelfare, relieved: true, fen: 250_000),
                                  Self.bucket(.other, .unionFestival, relieved: true, fen: 50_000),
                                  Self.bucket(.other, .unionWelfare, relieved: false, fen: 900_000),
                              ])
        let result = ComplianceEvaluator.evaluate(facts, rule: rule, pack: "pinglu-2022")
        #expect(result.base == Money(fen: 1_000_000))
        #expect(result.actual == .money(Money(fen: 300_000)))
        #expect(result.status == .met)
        var notAssisting = facts
        notAssisting.unit.assisting = false
        #expect(ComplianceEvaluator.evaluate(notAssisting, rule: rule, pack: "p").status == .notApplicable)
    }

    @Test func festivalsCountDistinctFestivalsWithCountedGifts() {
        let rule = PolicyRule(id: "union-festivals", name: "节日", kind: .festivals,
                              allowedChannels: [.platform832, .localPlatform], requiredCount: 1, targetCount: 2)
        func gift(_ festival: String, _ channel: PurchaseChannel = .localPlatform, fen: Int64 = 10_000, relieved: Bool = true) -> PurchaseBucket {
            var bucket = Self.bucket(channel, .unionFestival, relieved: relieved, fen: fen)
            bucket.festival = festival
            return bucket
        }
        let none = UnitFacts(unit: Self.unit(canteen: false), year: 2024, declaration: nil, buckets: [
            gift("springFestival", .other), gift("midAutumn", relieved: false), gift("dragonBoat", fen: 0),
        ])
        let short = ComplianceEvaluator.evaluate(none, rule: rule, pack: "yuxi-2022-2024")
        #expect(short.status == .short)
        #expect(short.actual == .count(0) && short.required == .count(1) && short.shortfall == .count(1))
        #expect(short.ratio == nil && short.base == nil)

        let two = UnitFacts(unit: Self.unit(), year: 2024, declaration: nil, buckets: [
            gift("springFestival"), gift("springFestival", .platform832), gift("midAutumn", .platform832),
        ])
        let met = ComplianceEvaluator.evaluate(two, rule: rule, pack: "yuxi-2022-2024")
        #expect(met.status == .met)
        #expect(met.actual == .count(2))
        #expect(met.encouraged == .count(2))
    }

    @Test func packingSumsAssistedVillagesByLevel() {
        let city = PolicyRule(id: "packing-city-20000", name: "市级包销", kind: .packing,
                              minimum: .yuan(20_000), unitLevels: [.province, .city])
        let district = PolicyRule(id: "packing-district-10000", name: "区级包销", kind: .packing,
                                  minimum: .yuan(10_000), unitLevels: [.district, .county])
        func packing(_ village: String?, _ fen: Int64) -> PurchaseBucket {
            var bucket = Self.bucket(.directed, .packing, fen: fen)
            bucket.assistedVillage = village
            return bucket
        }
        let buckets = [packing("140603001201", 600_000), packing("140603001203", 400_000), packing(nil, 5_000_000)]
        let districtUnit = UnitFacts(unit: Self.unit(canteen: false, assisting: true, level: .district), year: 2024,
                                     declaration: nil, buckets: buckets)
        let met = ComplianceEvaluator.evaluate(districtUnit, rule: district, pack: "pinglu-2022")
        #expect(met.status == .met)
        #expect(met.actual == .money(.yuan(10_000)))
        #expect(met.villages == [VillageAmount(village: "140603001201", amount: .yuan(6_000)),
                                 VillageAmount(village: "140603001203", amount: .yuan(4_000))])
        #expect(ComplianceEvaluator.evaluate(districtUnit, rule: city, pack: "pinglu-2022").status == .notApplicable)

        var cityUnit = districtUnit
        cityUnit.unit.level = .city
        let short = ComplianceEvaluator.evaluate(cityUnit, rule: city, pack: "pinglu-2022")
        #expect(short.status == .short)
        #expect(short.shortfall == .money(.yuan(10_000)))

        var township = districtUnit
        township.unit.level = .township
        #expect(ComplianceEvaluator.evaluate(township, rule: city, pack: "p").status == .notApplicable)
        #expect(ComplianceEvaluator.evaluate(township, rule: district, pack: "p").status == .notApplicable)
    }
}
