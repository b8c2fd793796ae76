import Foundation
import PostgresNIO
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// Frozen assessments (issue 12): a freeze, then a reversal and a finding; the frozen
/// export is unchanged, `live` shows the new figure, the changes name the unit and the
/// entries booked after the freeze.
@Suite struct AssessmentSnapshotTests {
    static let scope = ReportScope(year: 2024, region: "140000", asOf: CalendarDate(year: 2025, month: 3, day: 1))
    static let cli = Caller.commandLine(user: "tests")

    /// Unit A's canteen rule in an assessment's JSON: `status base/actual`.
    static func canteenOfA(_ json: String) throws -> String? {
        let object = try AssessmentTests.object(json)
        let units = try #require(object["units"] as? [[String: Any]])
        let rules = units.first { $0["creditCode"] as? String == Fixtures.unitA }?["rules"] as? [[String: Any]]
        return rules?.first { $0["rule"] as? String == "canteen-reserve-10" }.map {
            "\($0["status"] as? String ?? "?") \($0["base"] as? String ?? "-")/\($0["actual"] as? String ?? "-")"
        }
    }

    /// After the freeze: P2 (3 000, eligible for both of A's canteen rules) reversed whole
    /// by R1 in January (counting in 2024, the original's year), and P9 rejected.
    static func bookAfterTheFreeze(_ store: Store) async throws {
        let reversal = """
            credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
            \(Fixtures.unitA),R1,2025-01-10,platform832,canteenFood,140603001201,-3000,completed,,P2

            """
        _ = try await Operations(store: store).importFile(.purchases, bytes: Array(reversal.utf8), by: cli)
        try await store.client.query("""
            INSERT INTO findings (credit_code, order_no, verdict, reason, inspector)
            VALUES (\(Fixtures.unitA), 'P9', 'reject', 'no invoice', 'inspector-2')
            """)
    }

    @Test func aFrozenExportStaysAsFrozenLiveMovesAndTheChangesNameTheUnitAndItsEntries() async throws {
        try await TestDatabase.withStore { store in
            try await ReportTests.loadWithFindings(store)
            let operations = Operations(store: store)
            #expect(try await operations.assessmentSnapshots(Self.scope, by: Self.cli).isEmpty)
            // No snapshot yet: live, and it says so.
            let before = try AssessmentTests.object(try await operations.assessmentJSON(Self.scope, by: Self.cli))
            #expect(before["figures"] as? String == "live" && before["snapshot"] is NSNull)

            let snapshot = try await operations.freezeAssessment(Self.scope, by: Self.cli)
            #expect(snapshot.region == "140000" && snapshot.asOf?.iso == "2025-03-01" && snapshot.auditHead != nil)
            try await Self.bookAfterTheFreeze(store)

            // The frozen figures, by default; today's with live.
            let frozen = try await operations.assessmentJSON(Self.scope, by: Self.cli)
            #expect(try Self.canteenOfA(frozen) == "met 101000.00/14500.00")
            let frozenObject = try AssessmentTests.object(frozen)
            #expect(frozenObject["figures"] as? String == "frozen")
            #expect((frozenObject["snapshot"] as? [String: Any])?["id"] as? Int == Int(snapshot.id))
            let live = try await operations.assessmentJSON(Self.scope, by: Self.cli, live: true)
            // Logged canteen food 101 000 − 3 000 = 98 000, under the declared 100 000: the
            // base is the declared total; eligible 14 500 − 3 000 (P2) − 4 000 (P9, now
            // rejected) = 7 500: 7.50%, short.
            #expect(try Self.canteenOfA(live) == "short 100000.00/7500.00")
            let liveObject = try AssessmentTests.object(live)
            #expect(liveObject["figures"] as? String == "live")
            #expect((liveObject["latestSnapshot"] as? [String: Any])?["id"] as? Int == Int(snapshot.id))

            // The changes: unit A alone (C's figures did not move), the rules that moved,
            // and the reversal and the finding booked after the freeze, by order number.
            let changes = try await operations.assessmentChanges(Self.scope, by: Self.cli)
            #expect(changes.units.map(\.creditCode) == [Fixtures.unitA])
            let a = try #require(changes.units.first)
            #expect(!a.resultChanged)
            #expect(a.rules.map(\.rule) == ["canteen-reserve-10", "five-entries-reserve-20", "union-welfare-30"])
            #expect(a.rules.first?.frozen == "canteen-reserve-10 met 101000.00/14500.00")
            #expect(a.rules.first?.live == "canteen-reserve-10 short 100000.00/7500.00")
            #expect(a.entries.map(\.kind) == [.reversal, .finding])
            #expect(a.entries.map(\.orderNo) == ["R1", "P9"])
            #expect(a.entries.first?.detail == "-3000.00 yuan, reversing P2")
            #expect(changes.text().contains("reversal R1 -3000.00 yuan, reversing P2"))

            // A new freeze is a new snapshot, which exports then show.
            let second = try await operations.freezeAssessment(Self.scope, by: Self.cli)
            #expect(second.id > snapshot.id)
            #expect(try await operations.assessmentSnapshots(Self.scope, by: Self.cli).map(\.id) == [snapshot.id, second.id])
            #expect(try Self.canteenOfA(try await operations.assessmentJSON(Self.scope, by: Self.cli)) == "short 100000.00/7500.00")
            #expect(try await operations.assessmentChanges(Self.scope, by: Self.cli).units.isEmpty)

            // A scope no snapshot covers (Yunnan) is live; its changes are not found.
            let yunnan = ReportScope(year: 2024, region: "530000", asOf: Self.scope.asOf)
            #expect(try AssessmentTests.object(try await operations.assessmentJSON(yunnan, by: Self.cli))["figures"] as? String == "live")
            await #expect(throws: AccessError.self) { try await operations.assessmentChanges(yunnan, by: Self.cli) }
        }
    }

    @Test func aSnapshotIsNeverEditedEvenByTheOwner() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { store in
            try await ReportTests.loadWithFindings(store)
            _ = try await Operations(store: store).freezeAssessment(Self.scope, by: Self.cli)
            #expect(await AuditTests.refusal(store, "UPDATE assessment_snapshots SET frozen_by = 'x'") == "SA001")
            #expect(await AuditTests.refusal(store, "DELETE FROM assessment_snapshot_units") == "SA001")
            #expect(await AuditTests.refusal(store, "TRUNCATE assessment_snapshots CASCADE") == "SA001")
        }
    }

    @Test func theFrozenWorkbookIsTheOneOfTheFreezeAndSaysSo() async throws {
        try await TestDatabase.withStore { store in
            try await ReportTests.loadWithFindings(store)
            let operations = Operations(store: store)
            let snapshot = try await operations.freezeAssessment(Self.scope, by: Self.cli)
            try await Self.bookAfterTheFreeze(store)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-frozen-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let frozenFile = folder.appendingPathComponent("frozen.xlsx").path, liveFile = folder.appendingPathComponent("live.xlsx").path
            let summary = try await operations.exportAssessment(Self.scope, format: .xlsx, to: frozenFile, by: Self.cli)
            #expect(summary.figures == .frozen(snapshot) && summary.units == 2)
            _ = try await operations.exportAssessment(Self.scope, format: .xlsx, to: liveFile, by: Self.cli, live: true)

            func sheet(_ file: String, _ name: String) throws -> [[Any]] {
                try #require(try AssessmentWorkbookTests.read(file, with: "openpyxl").first { $0["name"] as? String == name }?["rows"] as? [[Any]])
            }
            func canteenActualOfA(_ file: String) throws -> Double? {
                try sheet(file, "单位").first { $0.first as? String == Fixtures.unitA }.flatMap { $0[10] as? Double }
            }
            #expect(try canteenActualOfA(frozenFile) == 14500)
            #expect(try canteenActualOfA(liveFile) == 7500)
            let cover = try sheet(frozenFile, "封面")
            let data = cover.first { $0.first as? String == "数据" }?[1] as? String
            #expect(data?.hasPrefix("冻结快照 #\(snapshot.id)") == true)
            #expect(cover.first { $0.first as? String == "快照编号" }?[1] as? Int == Int(snapshot.id))
            #expect(cover.first { $0.first as? String == "冻结时间" }?[1] as? String == snapshot.frozenAt)
            let liveData = try sheet(liveFile, "封面").first { $0.first as? String == "数据" }?[1] as? String
            #expect(liveData?.hasPrefix("实时数据（快照 #\(snapshot.id)") == true)
            // The frozen sheets read back as the live ones did at the freeze: same cells but
            // the cover's lines about the snapshot and the unit rows that moved.
            #expect(try sheet(frozenFile, "地区汇总").count == sheet(liveFile, "地区汇总").count)
        }
    }

    @Test func adminsFreezeThroughTheAPIAndInspectorsReadTheChanges() async throws {
        try await APIWorld.with { world, client, store in
            let path = "/api/v1/assessments/2024"
            #expect(try await client.call(.post, path + "/snapshots?region=140000", token: world.tokens["inspectorShanxi"]).status == 403)
            #expect(try await client.call(.get, path + "/changes?region=140000", token: world.tokens["inspectorShanxi"]).status == 404)
            let before = try await client.call(.get, path + "?region=140000", token: world.tokens["inspectorShanxi"])
            #expect(before.object["figures"] as? String == "live")
            let frozen = try await client.call(.post, path + "/snapshots?region=140000", token: world.tokens["admin"])
            #expect(frozen.status == 201, "\(frozen.text)")
            #expect(frozen.object["region"] as? String == "140000")
            #expect(try await client.call(.post, path + "/snapshots?region=149999", token: world.tokens["admin"]).status == 404)
            try await Self.bookAfterTheFreeze(store)
            let changes = try await client.call(.get, path + "/changes?region=140000", token: world.tokens["inspectorShanxi"])
            #expect(changes.status == 200, "\(changes.text)")
            let units = changes.object["units"] as? [[String: Any]]
            #expect(units?.map { $0["creditCode"] as? String } == [Fixtures.unitA])
            #expect((units?.first?["entries"] as? [[String: Any]])?.compactMap { $0["orderNo"] as? String } == ["R1", "P9"])
            let list = try await client.call(.get, path + "/snapshots?region=140000", token: world.tokens["inspectorShanxi"])
            #expect((list.object["items"] as? [Any])?.count == 1)
            let json = try await client.call(.get, path + "?region=140000", token: world.tokens["inspectorShanxi"])
            #expect(json.object["figures"] as? String == "frozen")
            #expect(try Self.canteenOfA(json.text) == Self.canteenOfA(before.text))
            let live = try await client.call(.get, path + "?region=140000&live=true", token: world.tokens["inspectorShanxi"])
            #expect(live.object["figures"] as? String == "live")
            #expect(try Self.canteenOfA(live.text) != Self.canteenOfA(before.text))
            #expect(try await client.call(.get, path + "?region=140000&live=maybe", token: world.tokens["inspectorShanxi"]).status == 422)
            #expect(try await client.call(.get, path + "/changes?region=140000", token: world.tokens["clerkA"]).status == 403)
        }
    }

    @Test func theCommandLineFreezesListsAndShowsTheChanges() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try CLITests.write(Fixtures.all)
            defer { try? FileManager.default.removeItem(at: folder) }
            for (kind, _) in Fixtures.all {
                #expect(try CLITests.run(["import", kind.rawValue, "\(kind.rawValue).csv"], url: url, in: folder).status == 0)
            }
            let freeze = try CLITests.run(["assessment", "freeze", "--year", "2024", "--region", "140000"], url: url)
            #expect(freeze.status == 0, "\(freeze.stderr)")
            #expect(freeze.stdout.hasPrefix("froze snapshot #"))
            let list = try CLITests.run(["assessment", "snapshots", "--year", "2024", "--region", "140000"], url: url)
            #expect(list.stdout.hasPrefix("#") && list.stdout.split(separator: "\n").count == 1)
            let reversal = folder.appendingPathComponent("reversal.csv")
            try Data("""
                credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
                \(Fixtures.unitA),R1,2025-01-10,platform832,canteenFood,140603001201,-3000,completed,,P2

                """.utf8).write(to: reversal)
            #expect(try CLITests.run(["import", "purchases", reversal.path], url: url).status == 0)
            let changes = try CLITests.run(["export", "assessment", "--year", "2024", "--region", "140000", "--changes"], url: url)
            #expect(changes.status == 0, "\(changes.stderr)")
            #expect(changes.stdout.contains(Fixtures.unitA) && changes.stdout.contains("reversal R1"))
            let out = folder.appendingPathComponent("a.json")
            let frozen = try CLITests.run(["export", "assessment", "--year", "2024", "--region", "140000", "--out", out.path], url: url)
            #expect(frozen.stderr.contains("the figures frozen in snapshot #"))
            let live = try CLITests.run(["export", "assessment", "--year", "2024", "--region", "140000", "--live", "--out", out.path], url: url)
            #expect(live.stderr.contains("live figures (snapshot #"))
            #expect(try CLITests.run(["export", "assessment", "--year", "2024", "--changes", "--live"], url: url).status != 0)
        }
    }
}
