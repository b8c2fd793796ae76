import Foundation
import PostgresNIO
import SetasideCore
@testable import SetasideStore
import Testing

/// The compliance report of the hand-checked fixtures.
@Suite struct ReportTests {
    /// Loads the fixtures and the inspectors' findings: P7 rejected; P9 rejected and then
    /// accepted (a later finding withdraws the rejection); a note on P1 changes nothing.
    static func loadWithFindings(_ store: Store) async throws {
        _ = try await ImportTests.load(store)
        try await store.client.query("""
            INSERT INTO findings (credit_code, order_no, verdict, reason, inspector) VALUES
                (\(Fixtures.unitA), 'P7', 'reject', 'no delivery note', 'inspector-1'),
                (\(Fixtures.unitA), 'P9', 'reject', 'wrong origin', 'inspector-1'),
                (\(Fixtures.unitA), 'P9', 'accept', 'origin certificate shown', 'inspector-1'),
                (\(Fixtures.unitA), 'P1', 'note', 'checked by phone', 'inspector-1')
            """)
    }

    static func rule(_ rule: String, _ pack: String, _ status: String, base: String? = nil, required: String? = nil,
                     actual: String? = nil, shortfall: String? = nil, ratio: String? = nil,
                     projection: String? = nil, strength: String = "required", encouraged: String? = nil,
                     notes: [String] = []) -> [String: Any] {
        ["rule": rule, "pack": pack, "status": status, "base": base ?? NSNull(), "required": required ?? NSNull(),
         "actual": actual ?? NSNull(), "shortfall": shortfall ?? NSNull(), "ratio": ratio ?? NSNull(),
         "projection": projection ?? NSNull(), "strength": strength, "encouraged": encouraged ?? NSNull(),
         "waiver": NSNull(), "notes": notes]
    }

    /// Worked out by hand (amounts in yuan):
    /// A, 平鲁区 (pinglu-2022 overrides the baseline's 10% rule):
    ///   logged canteen food 7500 (P1 less its reversal P8) + 3000 + 5000 + 84000 + 1500 (P7: a
    ///   rejection takes it out of what counts, not out of what the canteen bought) = 101000, above
    ///   the declared 100000, so the base is 101000. Eligible for 10%: P1 7500 + P2 3000 + P9 4000
    ///   (union, 832, relieved) = 14500 (14.36%); P4 is from a county not relieved, P5 cancelled, P6
    ///   refunded, P7 rejected, P10 not via 832, P13 is 2023. 20%: only P2 (the agreement ends
    ///   2024-06-30, P3 is in August) = 3000 of the 20200 required. Union 30% of 20000 = 6000: P9 4000 + P10 2500 = 6500. Packing: P11 6000
    ///   from the assisted village; P12's village is not assisted. A district unit owes 10000.
    /// B, 红塔区 (yuxi-2022-2024): 4999.99 of 5000.00, one fen short; one festival (中秋 via the
    ///   local platform); the 春节 gift came from a county that is not relieved.
    /// C, 朔城区 (national baseline only): no canteen.
    /// Declarations: A's and B's were imported without a day, so they carry the day of the
    /// test, after the 2024 deadline (2024-02-20, national-baseline): late. C has none: missing.
    static var expected: [String: Any] {
        let larger = "logged canteen food 101000.00 exceeds the declared 100000.00; the logged total is the base"
        return ["year": 2024, "supervising": [Any](), "units": [
            ["creditCode": Fixtures.unitC, "name": "示例单位丙", "region": "140602", "declaration": "missing",
             "deadline": "2024-02-20", "parent": NSNull(), "returned": NSNull(), "sharedBy": NSNull(), "sharedCanteen": [Any](), "rules": [
                rule("canteen-reserve-10", "national-baseline", "notApplicable", notes: ["no canteen (无食堂)"]),
            ]],
            ["creditCode": Fixtures.unitA, "name": "示例单位甲", "region": "140603", "declaration": "late",
             "deadline": "2024-02-20", "parent": NSNull(), "returned": NSNull(), "sharedBy": NSNull(), "sharedCanteen": [Any](), "rules": [
                rule("canteen-reserve-10", "pinglu-2022", "met", base: "101000.00", required: "10100.00",
                     actual: "14500.00", shortfall: "0.00", ratio: "14.36", encouraged: "15150.00", notes: [larger]),
                rule("five-entries-reserve-20", "pinglu-2022", "short", base: "101000.00", required: "20200.00",
                     actual: "3000.00", shortfall: "17200.00", ratio: "2.97", notes: [larger]),
                rule("union-welfare-30", "pinglu-2022", "met", base: "20000.00", required: "6000.00",
                     actual: "6500.00", shortfall: "0.00", ratio: "32.50"),
                rule("packing-city-20000", "pinglu-2022", "notApplicable",
                     notes: ["the rule binds city/province-level units; this unit is district-level"]),
                rule("packing-district-10000", "pinglu-2022", "short", required: "10000.00", actual: "6000.00",
                     shortfall: "4000.00"),
            ]],
            ["creditCode": Fixtures.unitB, "name": "示例单位乙", "region": "530402", "declaration": "late",
             "deadline": "2024-02-20", "parent": NSNull(), "returned": NSNull(), "sharedBy": NSNull(), "sharedCanteen": [Any](), "rules": [
                rule("canteen-reserve-10", "yuxi-2022-2024", "short", base: "50000.00", required: "5000.00",
                     actual: "4999.99", shortfall: "0.01", ratio: "10.00", encouraged: "7500.00"),
                rule("union-festivals", "yuxi-2022-2024", "met", required: "1", actual: "1", shortfall: "0",
                     strength: "encouraged", encouraged: "2"),
            ]],
        ]]
    }

    /// JSON text with sorted keys, to compare documents whatever their key order.
    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func canonical(json text: String) throws -> String {
        try canonical(JSONSerialization.jsonObject(with: Data(text.utf8)))
    }

    /// Made on 2024-07-01, day 183 of 366 (half the year): purchases dated later (P3,
    /// P10, P11, P12) do not count yet, and each share rule's eligible amount doubles by
    /// the year end, and so does the logged canteen food (A: 96 000 with the rejected P7 →
    /// 192 000, above the declared 100 000; B: 4 999.99 → 9 999.98, below its declared
    /// 50 000). A: 10% rule 29 000 / 192 000 = 15.10%; 20% rule 6 000 / 192 000 = 3.125%,
    /// 3.13% half-up; union (P9 only) 8 000
    /// of the declared 20 000 = 40.00%. B: 9 999.98 / 50 000 = 20.00%. Counts and packing
    /// have no projection; neither has a report made after the year.
    @Test func theProjectionCarriesThePaceSoFarToTheYearEnd() async throws {
        try await TestDatabase.withStore { store in
            try await Self.loadWithFindings(store)
            let midYear = try await store.complianceReport(ReportScope(year: 2024, asOf: CalendarDate(year: 2024, month: 7, day: 1)))
            var projections: [String: String?] = [:]
            for unit in midYear.units {
                for rule in unit.rules { projections["\(unit.name) \(rule.rule)"] = rule.projection }
            }
            #expect(projections == [
                "示例单位丙 canteen-reserve-10": nil,
                "示例单位甲 canteen-reserve-10": "15.10", "示例单位甲 five-entries-reserve-20": "3.13",
                "示例单位甲 union-welfare-30": "40.00", "示例单位甲 packing-city-20000": nil,
                "示例单位甲 packing-district-10000": nil,
                "示例单位乙 canteen-reserve-10": "20.00", "示例单位乙 union-festivals": nil,
            ])
            // The figures themselves are those of the day: the union rule has P9 only.
            let unionMidYear = midYear.units.first { $0.creditCode == Fixtures.unitA }?.rules.first { $0.rule == "union-welfare-30" }
            #expect(unionMidYear?.actual == .money(.yuan(4_000)))
            // Made after the year: the whole year counts, and nothing is projected.
            let later = try await store.complianceReport(ReportScope(year: 2024, asOf: CalendarDate(year: 2025, month: 3, day: 1)))
            #expect(later.units.flatMap(\.rules).allSatisfy { $0.projection == nil })
            let unionLater = later.units.first { $0.creditCode == Fixtures.unitA }?.rules.first { $0.rule == "union-welfare-30" }
            #expect(unionLater?.actual == .money(.yuan(6_500)))
        }
    }

    @Test func theReportOfTheHandCheckedDataset() async throws {
        try await TestDatabase.withStore { store in
            try await Self.loadWithFindings(store)
            let report = try await store.complianceReport(ReportScope(year: 2024))
            // The units as computed by hand; the region roll-up is checked on its own below.
            var object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
            let regions = try #require(object.removeValue(forKey: "regions") as? [[String: Any]])
            let actual = try Self.canonical(object)
            let expected = try Self.canonical(Self.expected)
            #expect(actual == expected)
            // 朔州市 (140600) holds A and C: the canteen rule applies to A alone (C has no
            // canteen), met; 山西省 the same; 云南省 holds B, one fen short.
            #expect(regions.map { $0["code"] as? String } == ["140000", "140600", "140602", "140603", "530000", "530400", "530402"])
            let shuozhou = regions.first { $0["code"] as? String == "140600" }
            #expect(shuozhou?["units"] as? Int == 2 && shuozhou?["level"] as? String == "city" && shuozhou?["name"] as? String == "朔州市")
            let canteen = (shuozhou?["rules"] as? [[String: Any]])?.first { $0["rule"] as? String == "canteen-reserve-10" }
            #expect(canteen?["applicable"] as? Int == 1 && canteen?["met"] as? Int == 1 && canteen?["base"] as? String == "101000.00")
            let yunnan = regions.first { $0["code"] as? String == "530000" }
            #expect(yunnan?["short"] as? Int == 1)
        }
    }

    @Test func scopesByUnitAndRegion() async throws {
        try await TestDatabase.withStore { store in
            try await Self.loadWithFindings(store)
            let shanxi = try await store.complianceReport(ReportScope(year: 2024, region: "140000"))
            #expect(shanxi.units.map(\.creditCode) == [Fixtures.unitC, Fixtures.unitA])
            let one = try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitB))
            #expect(one.units.map(\.creditCode) == [Fixtures.unitB])
            let yuxiCity = try await store.complianceReport(ReportScope(year: 2024, region: "530400"))
            #expect(yuxiCity.units.map(\.creditCode) == [Fixtures.unitB])
            await #expect(throws: StoreError.self) {
                try await store.complianceReport(ReportScope(year: 2024, region: "110000"))
            }
        }
    }

    @Test func packsOutOfForceFallBackToTheBaseline() async throws {
        try await TestDatabase.withStore { store in
            try await Self.loadWithFindings(store)
            // Yuxi's pack ends in 2024: in 2025 only the national baseline governs unit B.
            let later = try await store.complianceReport(ReportScope(year: 2025, unit: Fixtures.unitB))
            #expect(later.units[0].rules.map(\.pack) == ["national-baseline"])
            #expect(later.units[0].rules[0].status == .short)   // no declaration for 2025
            // 2023: P13 (70000 from a relieved county via 832) is A's only purchase that year.
            let earlier = try await store.complianceReport(ReportScope(year: 2023, unit: Fixtures.unitA))
            #expect(earlier.units[0].rules[0].actual == .money(.yuan(70_000)))
        }
    }
}
