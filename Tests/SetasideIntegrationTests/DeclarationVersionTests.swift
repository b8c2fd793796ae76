import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// Declarations as versions and their return (退回) by a reviewer (issue 11): history is
/// kept, other content is a new version, the latest version not returned counts.
@Suite struct DeclarationVersionTests {
    static let header = "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,declared_on\n"

    static func importDeclarations(_ store: Store, _ rows: String) async throws -> ImportSummary {
        try await Operations(store: store).importFile(.declarations, bytes: Array((header + rows).utf8),
                                                      by: .commandLine(user: "tests"))
    }

    static func unit(_ store: Store, _ code: String) async throws -> UnitCompliance? {
        try await store.complianceReport(ReportScope(year: 2024, unit: code, asOf: CalendarDate(year: 2025, month: 3, day: 1)))
            .units.first
    }

    @Test func aReturnedDeclarationCountsNoLongerAndTheVersionAfterItDoes() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            let operations = Operations(store: store)
            let inspector = Caller.commandLine(user: "inspector")
            _ = try await Self.importDeclarations(store, "\(Fixtures.unitB),2024,50000,5000,0,2024-02-01\n")
            #expect(try await Self.unit(store, Fixtures.unitB)?.declaration == .declared)
            let returned = try await operations.returnDeclaration(of: Fixtures.unitB, year: 2024,
                                                                  reason: "  预留比例与食堂总额不符  ", by: inspector)
            #expect(returned.isReturned && returned.counted == nil)
            #expect(returned.latest?.returned?.reason == "预留比例与食堂总额不符")   // trimmed
            #expect(returned.latest?.returned?.returnedBy == "cli:inspector")
            // Returned: the report says so, and no declared base counts (the canteen rule
            // takes the logged canteen food alone, zero here: short, no base declared).
            let b = try await Self.unit(store, Fixtures.unitB)
            #expect(b?.declaration == .returned)
            #expect(b?.returned?.version == 1)
            #expect(b?.rules.first { $0.rule == "canteen-reserve-10" }?.base == .zero)
            let json = try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitB)).json()
            #expect(json.contains(#""declaration": "returned""#) && json.contains("预留比例与食堂总额不符"))
            // A second return of the same version is a conflict; nothing changes.
            await #expect {
                _ = try await operations.returnDeclaration(of: Fixtures.unitB, year: 2024, reason: "again", by: inspector)
            } throws: { error in
                guard case StoreError.conflict(let detail) = error else { return false }
                return detail.contains("returned already")
            }
            // The same file again does not undo the return; the unit declaring again (the
            // same figures, on another day) is a new version, which counts.
            #expect(try await Self.importDeclarations(store, "\(Fixtures.unitB),2024,50000,5000,0,2024-02-01\n").inserted == 0)
            #expect(try await store.declarationHistory(of: Fixtures.unitB, year: 2024).isReturned)
            let again = try await Self.importDeclarations(store, "\(Fixtures.unitB),2024,50000,5000,0,2024-02-15\n")
            #expect(again.inserted == 1)
            let history = try await store.declarationHistory(of: Fixtures.unitB, year: 2024)
            #expect(history.versions.map(\.version) == [1, 2])
            #expect(history.versions[0].returned?.reason == "预留比例与食堂总额不符" && history.versions[1].returned == nil)
            #expect(history.counted?.version == 2 && history.versions[1].storedBy == "cli:tests")
            let after = try await Self.unit(store, Fixtures.unitB)
            #expect(after?.declaration == .declared && after?.returned == nil)
            #expect(after?.rules.first { $0.rule == "canteen-reserve-10" }?.base == .yuan(50_000))
            // The trail has the return and both versions.
            let actions = try await AuditTrail(store: store).log(unit: Fixtures.unitB).map(\.action)
            #expect(actions.filter { $0 == "import.declarations" }.count == 2 && actions.contains("declaration.return"))
        }
    }

    @Test func otherContentIsANewVersionAndAReturnOfALaterVersionLeavesTheEarlierCounting() async throws {
        try await TestDatabase.withStores { store, superuser in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            _ = try await Self.importDeclarations(store, "\(Fixtures.unitB),2024,50000,5000,0,2024-02-01\n")
            // The same row again: nothing; without its day: the same declaration still.
            #expect(try await Self.importDeclarations(store, "\(Fixtures.unitB),2024,50000,5000,0,2024-02-01\n").inserted == 0)
            #expect(try await Self.importDeclarations(store, "\(Fixtures.unitB),2024,50000,5000,0,\n").inserted == 0)
            // Other figures: version 2, which counts; version 1 stays in the history.
            #expect(try await Self.importDeclarations(store, "\(Fixtures.unitB),2024,60000,6000,0,2024-02-10\n").inserted == 1)
            var history = try await store.declarationHistory(of: Fixtures.unitB, year: 2024)
            #expect(history.versions.map { $0.declaration.canteenFoodTotal } == [.yuan(50_000), .yuan(60_000)])
            #expect(history.counted?.version == 2)
            // A return naming a version that is no longer the latest is refused.
            await #expect {
                _ = try await store.returnDeclaration(of: Fixtures.unitB, year: 2024, version: 1, reason: "旧版本", actor: "cli:i")
            } throws: { error in
                guard case StoreError.conflict(let detail) = error else { return false }
                return detail.contains("not the latest (version 2)")
            }
            // Version 2 returned: version 1 counts again, and the unit is told to declare again.
            history = try await Operations(store: store).returnDeclaration(of: Fixtures.unitB, year: 2024, reason: "总额有误",
                                                                             by: .commandLine(user: "inspector"))
            #expect(history.counted?.version == 1 && history.isReturned)
            let b = try await Self.unit(store, Fixtures.unitB)
            #expect(b?.declaration == .returned)
            #expect(b?.rules.first { $0.rule == "canteen-reserve-10" }?.base == .yuan(50_000))
            // Versions are never edited, not even by a superuser; the application role
            // may not try.
            #expect(await AuditTests.refusal(superuser, "UPDATE declarations SET canteen_food_total = 1") == "SA001")
            #expect(await AuditTests.refusal(superuser, "DELETE FROM declaration_returns") == "SA001")
            #expect(await AuditTests.refusal(superuser, "TRUNCATE declarations CASCADE") == "SA001")
            #expect(await AuditTests.refusal(store, "UPDATE declarations SET canteen_food_total = 1") == "42501")
        }
    }

    @Test func returningWithoutADeclarationOrAReasonIsRefused() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            let operations = Operations(store: store)
            await #expect {
                _ = try await operations.returnDeclaration(of: Fixtures.unitC, year: 2024, reason: "x", by: .commandLine(user: "i"))
            } throws: { error in
                guard case StoreError.notFound(let what) = error else { return false }
                return what.contains(Fixtures.unitC) && what.contains("2024")
            }
            _ = try await Self.importDeclarations(store, "\(Fixtures.unitC),2024,0,0,0,\n")
            await #expect {
                _ = try await operations.returnDeclaration(of: Fixtures.unitC, year: 2024, reason: " \t", by: .commandLine(user: "i"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map(\.field) == ["reason"]
            }
            #expect(try await store.declarationHistory(of: Fixtures.unitC, year: 2024).isReturned == false)
        }
    }

    @Test func theAPIReturnsADeclarationToInspectorsOfItsRegionAndShowsTheHistory() async throws {
        try await APIWorld.with { world, client, _ in
            let path = "/api/v1/units/\(Fixtures.unitA)/declarations/2025"
            let body = #"{"canteenFoodTotal": "1000.00", "reservedAmount": "100.00", "unionWelfareBudget": "0"}"#
            #expect(try await client.call(.put, path, token: world.tokens["clerkA"], body: body).status == 201)
            // The same declaration again: 200, no new version.
            let same = try await client.call(.put, path, token: world.tokens["clerkA"], body: body)
            #expect(same.status == 200 && same.object["version"] as? Int == 1)
            let reason = #"{"reason": "请补充工会采购需求"}"#
            // Who may return: inspectors of the unit's region and admins, not a clerk or
            // an inspector elsewhere; refused before the body is read.
            #expect(try await client.call(.post, path + "/return", token: world.tokens["clerkA"], body: reason).status == 403)
            #expect(try await client.call(.post, path + "/return", token: world.tokens["inspectorYuxi"], body: "{").status == 403)
            #expect(try await client.call(.post, path + "/return", token: world.tokens["inspectorShanxi"],
                                          body: #"{"reason": ""}"#).status == 422)
            let returned = try await client.call(.post, path + "/return", token: world.tokens["inspectorShanxi"], body: reason)
            #expect(returned.status == 201, "\(returned.text)")
            #expect(returned.object["counted"] is NSNull)
            #expect((returned.object["latestReturned"] as? [String: Any])?["reason"] as? String == "请补充工会采购需求")
            #expect(try await client.call(.post, path + "/return", token: world.tokens["admin"], body: reason).status == 409)
            #expect(try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/declarations/2031/return",
                                          token: world.tokens["admin"], body: reason).status == 404)
            // The unit declares again: version 2 counts; GET shows both with the return.
            let redeclared = try await client.call(.put, path, token: world.tokens["clerkA"], body: body)
            #expect(redeclared.status == 201)
            let shown = try await client.call(.get, path, token: world.tokens["clerkA"])
            #expect(shown.object["version"] as? Int == 2 && shown.object["counted"] as? Int == 2)
            #expect(shown.object["latestReturned"] is NSNull)
            let history = shown.object["history"] as? [[String: Any]] ?? []
            #expect(history.map { $0["version"] as? Int } == [1, 2])
            #expect((history.first?["returned"] as? [String: Any])?["returnedBy"] as? String == "account:inspectorShanxi")
            #expect(history.last?["storedBy"] as? String == "account:clerkA")
        }
    }

    @Test func theCommandLineReturnsADeclarationAndShowsItsVersions() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try CLITests.write([(.regions, Fixtures.regions), (.units, Fixtures.units),
                                             (.declarations, Fixtures.declarations)])
            defer { try? FileManager.default.removeItem(at: folder) }
            for kind in [ImportKind.regions, .units, .declarations] {
                let result = try CLITests.run(["import", kind.rawValue, "\(kind.rawValue).csv"], url: url, in: folder)
                #expect(result.status == 0, "\(kind): \(result.stderr)")
            }
            let returned = try CLITests.run(["declaration", "return", Fixtures.unitA, "2024", "--reason", "请核实食堂总额"], url: url)
            #expect(returned.status == 0, "\(returned.stderr)")
            #expect(returned.stdout.contains("returned version 1 of the declaration of \(Fixtures.unitA) for 2024"))
            let shown = try CLITests.run(["declaration", "show", Fixtures.unitA, "2024"], url: url)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("请核实食堂总额") && shown.stdout.contains("counts: none"))
            // The same again is refused with the reason; a bad year never reaches the database.
            let twice = try CLITests.run(["declaration", "return", Fixtures.unitA, "2024", "--reason", "x"], url: url)
            #expect(twice.status != 0 && twice.stderr.contains("returned already"))
            let badYear = try CLITests.run(["declaration", "return", Fixtures.unitA, "24", "--reason", "x"], url: url)
            #expect(badYear.status != 0 && badYear.stderr.contains("is not a year"))
            let report = try CLITests.run(["report", "compliance", "--year", "2024", "--unit", Fixtures.unitA], url: url)
            #expect(report.stdout.contains("declaration 2024: returned (version 1"))
        }
    }

    @Test func theDemoHasRevisedReturnedAndSharedDeclarationsAndSupervisingUnits() async throws {
        try await TestDatabase.withStore { store in
            let demo = DemoProvince(.init(units: 80, purchases: 800, seed: 832))
            let operations = Operations(store: store), caller = Caller.commandLine(user: "tests (demo)")
            for (kind, csv) in demo.files + [(.declarations, demo.revisions)] {
                _ = try await operations.importFile(kind, bytes: Array(csv.utf8), by: caller)
            }
            // The later export books status changes only (orders paid or refunded since).
            let later = try await operations.importFile(.purchases, bytes: Array(demo.statusUpdates.utf8), by: caller)
            #expect(later.statusChanges > 0 && later.statusChanges == later.rows)
            #expect(demo.returns.count >= 2)
            for r in demo.returns {
                _ = try await operations.returnDeclaration(of: r.creditCode, year: r.year, reason: r.reason, by: caller)
            }
            let report = try await store.complianceReport(ReportScope(year: 2024))
            let returned = report.units.filter { $0.declaration == .returned }
            #expect(Set(returned.map(\.creditCode)) == Set(demo.returns.map(\.creditCode)))
            // A returned correction leaves version 1 counting; a returned only version, none.
            var counted: [Int?] = []
            for r in demo.returns {
                counted.append(try await store.declarationHistory(of: r.creditCode, year: r.year).counted?.version)
            }
            #expect(counted.contains(1) && counted.contains(nil))
            // Supervising units: some units have one, and the roll-up lists them.
            #expect(report.units.contains { $0.parent != nil })
            #expect(!ComplianceRollup.bySupervisingUnit(report).isEmpty)
            // Shared canteens: every member names its declaring unit, which lists it.
            let members = report.units.filter { $0.sharedBy != nil }
            #expect(!members.isEmpty)
            for member in members {
                let declarer = report.units.first { $0.creditCode == member.sharedBy?.creditCode }
                #expect(declarer?.sharedMembers.map(\.creditCode).contains(member.creditCode) == true)
            }
        }
    }
}
