import PostgresNIO
import SetasideCore
import SetasideOperations
import Foundation
@testable import SetasideStore
import Testing

/// The rule corrections of issue 11 through the stored packs (sql/0015) and the
/// report's queries: each fails on the rules as they were before.
@Suite struct RuleCorrectionReportTests {
    /// Unit D: 朔州市 (the city, 140600), city level, assisting a 平鲁区 village in 2024.
    static let unitD = Fixtures.code("11140600MB0000004")

    static func report(_ store: Store, year: Int, unit: String) async throws -> [RuleResult] {
        try await store.complianceReport(ReportScope(year: year, unit: unit)).units.first?.rules ?? []
    }

    @Test func aCityUnitAssistingAPingluVillageOwesPinglusPackingAndUnionRules() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [
                (.regions, Fixtures.regions),
                (.units, Fixtures.units + "\(Self.unitD),朔州市示例局,140600,city,true,false,true\n"),
                (.assignments, "credit_code,village_code,year_from,year_to\n\(Self.unitD),140603001201,2024,2024\n"),
            ])
            let rules = try await Self.report(store, year: 2024, unit: Self.unitD)
            let byRule = Dictionary(uniqueKeysWithValues: rules.map { ($0.rule, $0) })
            #expect(byRule["canteen-reserve-10"]?.pack == "national-baseline")
            #expect(byRule["union-welfare-30"]?.pack == "pinglu-2022")
            #expect(byRule["packing-city-20000"]?.pack == "pinglu-2022")
            #expect(byRule["packing-city-20000"]?.status == .short)
            #expect(byRule["five-entries-reserve-20"] == nil)   // a canteen rule stays with the unit's own region
            // The year after the assignment, the city unit owes the national rule alone.
            let later = try await Self.report(store, year: 2025, unit: Self.unitD)
            #expect(later.map(\.rule) == ["canteen-reserve-10"])
        }
    }

    @Test func assistingIsAFactOfTheYear() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // Unit A is flagged assisting, and its assignment covers 2023-2025: in 2022
            // (pinglu-2022 in force) it owes no packing and no union share.
            let rules = try await Self.report(store, year: 2022, unit: Fixtures.unitA)
            let packing = rules.first { $0.rule == "packing-district-10000" }
            #expect(packing?.status == .notApplicable)
            #expect(packing?.notes == ["not an assisting unit"])
            #expect(rules.first { $0.rule == "union-welfare-30" }?.status == .notApplicable)
            let covered = try await Self.report(store, year: 2024, unit: Fixtures.unitA)
            #expect(covered.first { $0.rule == "packing-district-10000" }?.status == .short)
        }
    }

    @Test func theEncouragedShareShowsFrom2024BesideEveryPacksCanteenRule() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // Pinglu's own canteen rule sets no encouraged share: it takes the 2024 notice's 15%.
            let canteen = try await Self.report(store, year: 2024, unit: Fixtures.unitA).first { $0.rule == "canteen-reserve-10" }
            #expect(canteen?.pack == "pinglu-2022")
            #expect(canteen?.encouraged == .money(.yuan(15_150)))   // 15% of the base 101 000
            // Before 2024, no encouraged share, under the baseline or a regional pack.
            let before = try await Self.report(store, year: 2023, unit: Fixtures.unitA).first { $0.rule == "canteen-reserve-10" }
            #expect(before != nil && before?.encouraged == nil)
            let baseline = try await Self.report(store, year: 2022, unit: Fixtures.unitC).first { $0.rule == "canteen-reserve-10" }
            #expect(baseline?.pack == "national-baseline" && baseline?.encouraged == nil)
        }
    }

    @Test func festivalGiftsAreEncouragedAndNeverMakeAUnitShort() async throws {
        try await TestDatabase.withStore { store in
            // Unit B without its 中秋 gift: the festival rule is short, the canteen rule met.
            let purchases = """
                credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
                \(Fixtures.unitB),Q1,2024-03-01,platform832,canteenFood,530428,5000,completed,,

                """
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units),
                                                   (.declarations, Fixtures.declarations), (.purchases, purchases)])
            let unit = try #require(try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitB)).units.first)
            let festivals = unit.rules.first { $0.rule == "union-festivals" }
            #expect(festivals?.status == .short && festivals?.strength == .encouraged)
            #expect(unit.rules.first { $0.rule == "canteen-reserve-10" }?.status == .met)
            #expect(!unit.isShort)
        }
    }
}

/// Unpaid orders (issue 11): stored, shown, never counted.
@Suite struct PendingOrderTests {
    @Test func aPendingOrderIsStoredAndShownButNeverCounted() async throws {
        try await TestDatabase.withStore { store in
            let purchases = """
                credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
                \(Fixtures.unitB),Q1,2024-03-01,platform832,canteenFood,530428,5000,completed,,
                \(Fixtures.unitB),Q9,2024-03-02,platform832,canteenFood,530428,9000,pending,,

                """
            let summaries = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units),
                                                               (.declarations, Fixtures.declarations), (.purchases, purchases)])
            #expect(summaries.last?.inserted == 2)
            let status = try await store.client.query("SELECT status FROM purchases WHERE order_no = 'Q9'")
                .collect().map { try $0.decode(String.self) }
            #expect(status == ["pending"])
            let canteen = try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitB)).units.first?
                .rules.first { $0.rule == "canteen-reserve-10" }
            // 5 000.00 counted of the declared 50 000.00: the unpaid 9 000.00 is neither
            // eligible nor logged canteen food.
            #expect(canteen?.actual == .money(.yuan(5_000)))
            #expect(canteen?.base == .yuan(50_000))
        }
    }
}

/// Declarations with the platform form's details, from a file and the API (issue 11).
@Suite struct DeclarationDetailStoreTests {
    static let header = "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,has_canteen,union_purchase_need,declared_ratio,approved_ratio,approval_document,approved_by,approved_on\n"

    @Test func aFileDeclaresNoCanteenAndAWaiverAndTheReportShowsThem() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            let file = Self.header
                + "\(Fixtures.unitA),2024,0,0,20000,false,,,,,,\n"
                + "\(Fixtures.unitB),2024,50000,4000,0,,false,8,8,财库函〔2024〕1号,省财政厅,2024-03-01\n"
            let summary = try await Operations(store: store).importFile(.declarations, bytes: Array(file.utf8),
                                                                          by: .commandLine(user: "tests"))
            #expect(summary.inserted == 2)
            let report = try await store.complianceReport(ReportScope(year: 2024))
            let a = report.units.first { $0.creditCode == Fixtures.unitA }!.rules
            #expect(a.first { $0.rule == "canteen-reserve-10" }?.status == .notApplicable)
            #expect(a.first { $0.rule == "canteen-reserve-10" }?.notes == ["无食堂 declared for 2024"])
            let b = report.units.first { $0.creditCode == Fixtures.unitB }!.rules
            let canteen = b.first { $0.rule == "canteen-reserve-10" }
            #expect(canteen?.waiver?.basisPoints == 800 && canteen?.required == .money(.yuan(4_000)))
            #expect(b.first { $0.rule == "union-festivals" }?.status == .notApplicable)
            // The same file again changes nothing; another waiver document is other
            // content: a new version of B's declaration, which then counts.
            let again = try await Operations(store: store).importFile(.declarations, bytes: Array(file.utf8),
                                                                      by: .commandLine(user: "tests"))
            #expect(again.inserted == 0)
            let changed = file.replacingOccurrences(of: "1号", with: "2号")
            let second = try await Operations(store: store).importFile(.declarations, bytes: Array(changed.utf8),
                                                                       by: .commandLine(user: "tests"))
            #expect(second.inserted == 1)
            let history = try await store.declarationHistory(of: Fixtures.unitB, year: 2024)
            #expect(history.versions.map(\.version) == [1, 2])
            #expect(history.counted?.declaration.waiver?.document == "财库函〔2024〕2号")
            #expect(history.versions.first?.declaration.waiver?.document == "财库函〔2024〕1号")
        }
    }

    @Test func aWaiverWithoutItsDocumentIsRefusedNamingTheColumn() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            let file = Self.header + "\(Fixtures.unitB),2024,50000,4000,0,,,,8,,,\n"
                + "\(Fixtures.unitA),2024,50000,4000,0,maybe,,12.345,,,,\n"
            await #expect {
                _ = try await Operations(store: store).importFile(.declarations, bytes: Array(file.utf8),
                                                                  by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["2 approval_document", "3 has_canteen", "3 declared_ratio"]
            }
        }
    }

    @Test func theAPIDeclaresTheDetailsAndShowsThem() async throws {
        try await APIWorld.with { world, client, _ in
            let path = "/api/v1/units/\(Fixtures.unitA)/declarations/2025"
            let body = """
                {"canteenFoodTotal": "100000.00", "reservedAmount": "8000.00", "unionWelfareBudget": "0",
                 "hasCanteen": true, "unionPurchaseNeed": false, "declaredRatio": "8",
                 "approvedRatio": "8", "approvalDocument": "财库函〔2025〕3号", "approvedOn": "2025-02-01"}
                """
            let put = try await client.call(.put, path, token: world.tokens["clerkA"], body: body)
            #expect(put.status == 201, "\(put.text)")
            let shown = try await client.call(.get, path, token: world.tokens["clerkA"])
            #expect(shown.object["hasCanteen"] as? Bool == true && shown.object["unionPurchaseNeed"] as? Bool == false)
            #expect(shown.object["declaredRatio"] as? String == "8.00")
            let waiver = shown.object["waiver"] as? [String: Any]
            #expect(waiver?["document"] as? String == "财库函〔2025〕3号" && waiver?["approvedBy"] is NSNull)
            let noDocument = try await client.call(.put, path, token: world.tokens["clerkA"],
                                                   body: body.replacingOccurrences(of: #""approvalDocument": "财库函〔2025〕3号", "#, with: ""))
            #expect(noDocument.status == 422)
            #expect(((noDocument.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } == ["approvalDocument"])
        }
    }
}

/// A declaration's day against the pack-year's deadline, and units with none (issue 11).
@Suite struct DeclarationDeadlineTests {
    @Test func lateMissingAndDeclaredUnitsAreNamedInTheReport() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            let file = "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,declared_on\n"
                + "\(Fixtures.unitA),2024,100000,10000,0,2024-02-21\n"
                + "\(Fixtures.unitB),2024,50000,5000,0,2024-02-20\n"
            _ = try await Operations(store: store).importFile(.declarations, bytes: Array(file.utf8), by: .commandLine(user: "tests"))
            let report = try await store.complianceReport(ReportScope(year: 2024))
            let states = Dictionary(uniqueKeysWithValues: report.units.map { ($0.creditCode, $0.declaration) })
            #expect(states == [Fixtures.unitA: .late, Fixtures.unitB: .declared, Fixtures.unitC: .missing])
            #expect(report.units.allSatisfy { $0.deadline == CalendarDate(year: 2024, month: 2, day: 20) })
            let json = report.json()
            #expect(json.contains(#""declaration": "late", "deadline": "2024-02-20""#))
            // A file without the day: the import's day in China, so a 2024 declaration made now is late.
            let noDay = "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget\n"
                + "\(Fixtures.unitC),2024,0,0,0\n"
            _ = try await Operations(store: store).importFile(.declarations, bytes: Array(noDay.utf8), by: .commandLine(user: "tests"))
            let c = try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitC)).units.first
            #expect(c?.declaration == .late)
            // The same file again is the same declaration, not other content.
            let again = try await Operations(store: store).importFile(.declarations, bytes: Array(noDay.utf8), by: .commandLine(user: "tests"))
            #expect(again.inserted == 0)
        }
    }
}
