import Foundation
import HummingbirdTesting
import PostgresNIO
import SetasideCore
@testable import SetasideOperations
@testable import SetasideStore
import Testing

/// The report cache of the operations: a report is kept while the server listens for
/// changes, and a write (through the server, or from anywhere else) is in the next one.
@Suite struct ReportCacheTests {
    static let path = "/api/v1/units/\(Fixtures.unitA)/compliance?year=2024"

    /// Unit A's eligible canteen spend for the 10% rule, as the API answers it.
    static func canteenActual(_ client: some TestClientProtocol, _ token: String?) async throws -> String? {
        let response = try await client.call(.get, path, token: token)
        #expect(response.status == 200)
        let units = response.object["units"] as? [[String: Any]]
        let rules = units?.first?["rules"] as? [[String: Any]]
        return rules?.first { $0["rule"] as? String == "canteen-reserve-10" }?["actual"] as? String
    }

    /// Unit A's eligible canteen spend once it is no longer `before` (a notice takes a few
    /// milliseconds to arrive), or `before` after five seconds.
    static func canteenActual(_ client: some TestClientProtocol, _ token: String?, changedFrom before: String) async throws -> String {
        var after = before
        for _ in 0..<100 where after == before {
            try await Task.sleep(for: .milliseconds(50))
            after = try #require(try await canteenActual(client, token))
        }
        return after
    }

    /// Waits until the server listens for report changes (its cache keeps reports from then).
    static func waitForListener(_ store: Store) async throws {
        for _ in 0..<100 {
            let rows = try await store.client.query(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%setaside_reports%'")
            var listening = 0
            for try await count in rows.decode(Int.self) { listening = count }
            if listening > 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        // The cache starts keeping right after LISTEN has answered.
        try await Task.sleep(for: .milliseconds(200))
    }

    @Test func aReportIsKeptUntilAChangeIsNoticed() async throws {
        try await APIWorld.with { world, client, store in
            let clerk = world.tokens["clerkA"]
            try await Self.waitForListener(store)
            let before = try #require(try await Self.canteenActual(client, clerk))
            // A rejection of P2 (3000 of the eligible spend) stored without its notice: the
            // kept report does not see it, which shows the report is kept.
            try await store.client.query("ALTER TABLE findings DISABLE TRIGGER findings_report_notify")
            try await store.client.query("""
                INSERT INTO findings (credit_code, order_no, verdict, reason, inspector)
                VALUES (\(Fixtures.unitA), 'P2', 'reject', 'no delivery note', 'inspector-1')
                """)
            #expect(try await Self.canteenActual(client, clerk) == before)
            // The next change with its notice (from psql's side, not the server's) empties the
            // cache: the report has both.
            try await store.client.query("ALTER TABLE findings ENABLE TRIGGER findings_report_notify")
            try await store.client.query("""
                INSERT INTO findings (credit_code, order_no, verdict, reason, inspector)
                VALUES (\(Fixtures.unitA), 'P1', 'note', 'checked by phone', 'inspector-1')
                """)
            let expected = try Money(parsingYuan: before) - Money(parsingYuan: "3000")
            #expect(try await Self.canteenActual(client, clerk, changedFrom: before) == expected.description)
        }
    }

    @Test func aPurchaseFromAnotherProcessReachesTheKeptReport() async throws {
        try await APIWorld.with { world, client, store in
            let clerk = world.tokens["clerkA"]
            try await Self.waitForListener(store)
            let before = try #require(try await Self.canteenActual(client, clerk))
            #expect(try await Self.canteenActual(client, clerk) == before)
            // Another server or the command line: operations of their own, with their own
            // cache and notices. The purchases table sends no notice itself.
            let other = Operations(store: store)
            let decoded = ImportParser.purchase(fields: [
                "credit_code": Fixtures.unitA, "order_no": "OTHER-1", "order_date": "2024-07-01", "channel": "platform832",
                "category": "canteenFood", "origin_code": "140603", "amount": "1234.50", "status": "completed",
            ])
            let record = try #require(decoded.record, "\(decoded.problems)")
            _ = try await other.recordPurchase(record, by: .commandLine(user: "tests"))
            let expected = try Money(parsingYuan: before) + Money(parsingYuan: "1234.50")
            #expect(try await Self.canteenActual(client, clerk, changedFrom: before) == expected.description)
        }
    }

    @Test func aWriteThroughTheServerIsInItsNextAnswer() async throws {
        try await APIWorld.with { world, client, store in
            let clerk = world.tokens["clerkA"]
            try await Self.waitForListener(store)
            let before = try #require(try await Self.canteenActual(client, clerk))
            // No notice comes: only the server's own emptying after the write can show it.
            try await store.client.query("ALTER TABLE findings DISABLE TRIGGER findings_report_notify")
            let p2 = try #require(world.ids["P2"])
            let finding = try await client.call(.post, "/api/v1/purchases/\(p2)/findings", token: world.tokens["inspectorShanxi"],
                                                body: #"{"verdict": "reject", "reason": "no delivery note"}"#)
            #expect(finding.status == 201)
            let expected = try Money(parsingYuan: before) - Money(parsingYuan: "3000")
            #expect(try await Self.canteenActual(client, clerk) == expected.description)
        }
    }
}
