import Testing
@testable import SetasideCore

@Suite struct PackSelectionTests {
    func code(_ text: String) -> DivisionCode { try! DivisionCode(parsing: text) }

    func pack(_ id: String, _ jurisdiction: String, _ from: Int, _ to: Int?, rules: [String]) -> PolicyPack {
        PolicyPack(id: id, title: id, jurisdiction: code(jurisdiction), yearFrom: from, yearTo: to, source: "test",
                   rules: rules.map { PolicyRule(id: $0, name: $0, kind: .canteenShare, thresholdBasisPoints: 1000) })
    }

    var packs: [PolicyPack] {
        [pack("pinglu-2022", "140603", 2022, 2025, rules: ["canteen-reserve-10", "union-welfare-30"]),
         pack("national-baseline", "100000", 2021, nil, rules: ["canteen-reserve-10"]),
         pack("shuozhou", "140600", 2020, 2030, rules: ["union-welfare-30", "city-rule"])]
    }

    let pinglu = ["140603001", "140603", "140600", "140000", "100000"]

    @Test func theMostSpecificJurisdictionWins() {
        let rules = PackSelection.rules(ancestry: pinglu.map(code), year: 2024, packs: packs)
        #expect(rules.map(\.rule.id) == ["canteen-reserve-10", "union-welfare-30", "city-rule"])
        #expect(rules.map(\.packID) == ["pinglu-2022", "pinglu-2022", "shuozhou"])
    }

    @Test func packsOutOfForceOrOutOfTheTreeDoNotApply() {
        let before = PackSelection.rules(ancestry: pinglu.map(code), year: 2021, packs: packs)
        #expect(before.map(\.packID) == ["national-baseline", "shuozhou", "shuozhou"])
        let after = PackSelection.rules(ancestry: pinglu.map(code), year: 2026, packs: packs)
        #expect(after.map(\.packID) == ["national-baseline", "shuozhou", "shuozhou"])
        let elsewhere = PackSelection.rules(ancestry: ["530402", "530400", "530000", "100000"].map(code), year: 2024, packs: packs)
        #expect(elsewhere.map(\.packID) == ["national-baseline"])
        #expect(PackSelection.rules(ancestry: [], year: 2024, packs: packs).isEmpty)
    }

    @Test func shippedParametersDecode() throws {
        let rule = try PolicyRule(id: "packing-city-20000", parametersJSON: """
            {"kind": "packing", "name": "市级帮扶单位包销", "minimumFen": 2000000, "unitLevels": ["province", "city"]}
            """)
        #expect(rule.minimum == .yuan(20_000))
        #expect(rule.unitLevels == [.province, .city])
        #expect(rule.categories == [.packing])
        #expect(throws: PolicyRuleError.missingParameter(rule: "x", parameter: "thresholdBasisPoints")) {
            try PolicyRule(id: "x", parametersJSON: #"{"kind": "canteenShare", "name": "x"}"#)
        }
        #expect(throws: PolicyRuleError.self) {
            try PolicyRule(id: "x", parametersJSON: #"{"kind": "nonsense", "name": "x"}"#)
        }
    }
}
