import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// The yearly assessment as JSON (issue 12, first slice): the compliance report's figures
/// by the same code, the roll-ups equal to the sums of their unit rows, access.
@Suite struct AssessmentTests {
    static let asOf = CalendarDate(year: 2025, month: 3, day: 1)

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func theUnitsAreTheReportsAndTheRollUpsAddUpTheirRows() async throws {
        try await TestDatabase.withStore { store in
            try await ReportTests.loadWithFindings(store)
            let scope = ReportScope(year: 2024, region: "140000", asOf: Self.asOf)
            let assessment = try await Operations(store: store).assessment(scope, by: .commandLine(user: "tests"))
            let json = try Self.object(assessment.json())
            #expect((json["scope"] as? [String: Any])?["name"] as? String == "山西省")
            #expect(json["auditHead"] is String && json["snapshot"] is NSNull)
            let units = try #require(json["units"] as? [[String: Any]])
            #expect(units.compactMap { $0["creditCode"] as? String } == [Fixtures.unitC, Fixtures.unitA])
            // The rules are the compliance report's objects, unchanged.
            let report = try Self.object(try await store.complianceReport(scope).json())
            let reportRules = ((report["units"] as? [[String: Any]]) ?? []).map { try? ReportTests.canonical($0["rules"] ?? []) }
            #expect(units.map { try? ReportTests.canonical($0["rules"] ?? []) } == reportRules)
            let a = units.first { $0["creditCode"] as? String == Fixtures.unitA }
            #expect(a?["overall"] as? String == "short" && a?["level"] as? String == "district")
            #expect(a?["rejectedPurchases"] as? Int == 1)   // P7 (P9's rejection was withdrawn)
            #expect(units.first { $0["creditCode"] as? String == Fixtures.unitC }?["overall"] as? String == "notApplicable")
            // Every region inside the scope, and each roll-up equal to the sums of its units' rows.
            let regions = try #require(json["regions"] as? [[String: Any]])
            #expect(regions.compactMap { $0["code"] as? String } == ["140000", "140600", "140602", "140603"])
            for region in assessment.regions {
                let inside = assessment.report.units.filter { $0.regions.contains { $0.code == region.key } }
                #expect(region.units == inside.count)
                for totals in region.rules {
                    let rows = inside.compactMap { $0.rules.first { $0.rule == totals.rule && $0.status != .notApplicable } }
                    #expect(totals.applicable == rows.count && totals.met == rows.filter { $0.status == .met }.count)
                    #expect(totals.base == rows.compactMap(\.base).reduce(nil) { ($0 ?? .zero) + $1 })
                }
            }
            // 包销: A's assisted village, the amount bought from it and A's packing result.
            let packing = try #require(json["packing"] as? [[String: Any]])
            #expect(packing.count == 1 && packing.first?["village"] as? String == "140603001201")
            #expect(packing.first?["amount"] as? String == "6000.00" && packing.first?["status"] as? String == "short")
        }
    }

    @Test func inspectorsOfTheRegionAndAdminsReadItAClerkMayNot() async throws {
        try await APIWorld.with { world, client, _ in
            #expect(try await client.call(.get, "/api/v1/assessments/2024?region=140000", token: world.tokens["clerkA"]).status == 403)
            let shanxi = try await client.call(.get, "/api/v1/assessments/2024?region=140000&asOf=2025-03-01",
                                               token: world.tokens["inspectorShanxi"])
            #expect(shanxi.status == 200, "\(shanxi.text)")
            #expect((shanxi.object["units"] as? [Any])?.count == 2)
            #expect(try await client.call(.get, "/api/v1/assessments/2024?region=530000", token: world.tokens["inspectorShanxi"]).status == 403)
            #expect(try await client.call(.get, "/api/v1/assessments/2024", token: world.tokens["inspectorShanxi"]).status == 403)
            let all = try await client.call(.get, "/api/v1/assessments/2024?asOf=2025-03-01", token: world.tokens["admin"])
            #expect(all.status == 200 && (all.object["units"] as? [Any])?.count == 3)
            #expect(try await client.call(.get, "/api/v1/assessments/24", token: world.tokens["admin"]).status == 422)
        }
    }

    @Test func theCommandLineWritesItToAFile() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try CLITests.write(Fixtures.all)
            defer { try? FileManager.default.removeItem(at: folder) }
            for (kind, _) in Fixtures.all {
                #expect(try CLITests.run(["import", kind.rawValue, "\(kind.rawValue).csv"], url: url, in: folder).status == 0)
            }
            let out = folder.appendingPathComponent("assessment.json")
            let result = try CLITests.run(["export", "assessment", "--year", "2024", "--region", "530000", "--as-of", "2025-03-01",
                                           "--out", out.path], url: url)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try Self.object(String(decoding: try Data(contentsOf: out), as: UTF8.self))
            #expect((json["units"] as? [[String: Any]])?.first?["creditCode"] as? String == Fixtures.unitB)
            #expect(try CLITests.run(["export", "assessment", "--year", "24"], url: url).status != 0)
        }
    }
}
