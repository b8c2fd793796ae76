import Foundation
import PostgresNIO
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// Status changes of stored orders (issue 11): appended, never edits; a pending order
/// paid then counts on its order date, with its history intact.
@Suite struct StatusChangeTests {
    static let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"
    static func row(_ status: String, amount: String = "9000") -> String {
        "\(Fixtures.unitB),Q9,2024-03-02,platform832,canteenFood,530428,\(amount),\(status),,\n"
    }

    static func importPurchases(_ store: Store, _ rows: String) async throws -> ImportSummary {
        try await Operations(store: store).importFile(.purchases, bytes: Array((header + rows).utf8), by: .commandLine(user: "tests"))
    }

    static func canteenActual(_ store: Store) async throws -> RuleQuantity? {
        try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitB, asOf: CalendarDate(year: 2025, month: 1, day: 1)))
            .units.first?.rules.first { $0.rule == "canteen-reserve-10" }?.actual
    }

    @Test func aPendingOrderPaidInALaterFileCountsOnItsOrderDateWithItsHistory() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units),
                                                   (.declarations, Fixtures.declarations)])
            _ = try await Self.importPurchases(store, "\(Fixtures.unitB),Q1,2024-03-01,platform832,canteenFood,530428,5000,completed,,\n"
                                               + Self.row("pending"))
            #expect(try await Self.canteenActual(store) == .money(.yuan(5_000)))
            // The platform's next export says the order is paid: a status change, not a refusal.
            let paid = try await Self.importPurchases(store, Self.row("completed"))
            #expect(paid.statusChanges == 1 && paid.inserted == 0 && paid.unchanged == 0)
            #expect(try await Self.canteenActual(store) == .money(.yuan(14_000)))
            let rows = try await store.client.query("SELECT id, status FROM purchases WHERE order_no = 'Q9'").collect()
            let id = try rows[0].decode((Int64, String).self).0
            #expect(try rows[0].decode((Int64, String).self).1 == "pending")   // the stored row is never edited
            let shown = try await store.purchase(id: id)
            #expect(shown?.status == .completed && shown?.storedStatus == .pending && shown?.counted == true)
            #expect(shown?.history.map { "\($0.from.rawValue)→\($0.to.rawValue)" } == ["pending→completed"])
            #expect(shown?.history.first?.bookedBy == "cli:tests")
            // The old export again, and the new one again: nothing to do.
            #expect(try await Self.importPurchases(store, Self.row("pending")).unchanged == 1)
            #expect(try await Self.importPurchases(store, Self.row("completed")).unchanged == 1)
            // Refunded whole: taken out of the counts.
            #expect(try await Self.importPurchases(store, Self.row("refunded")).statusChanges == 1)
            #expect(try await Self.canteenActual(store) == .money(.yuan(5_000)))
            #expect(try await store.purchase(id: id)?.history.map(\.to) == [.completed, .refunded])
            // Other content, or a change no order makes, is still refused by line and field.
            func refused(_ rows: String) async -> [String] {
                do { _ = try await Self.importPurchases(store, rows); return [] } catch ImportError.rejected(let problems) {
                    return problems.map { "\($0.line) \($0.field)" }
                } catch { return ["\(error)"] }
            }
            #expect(await refused(Self.row("refunded", amount: "9001")) == ["2 order_no"])
            #expect(await refused(Self.row("cancelled")) == ["2 status"])
            // The trail has each change, and verify finds nothing changed.
            let verified = try await AuditTrail(store: store).verify()
            #expect(verified.findings.isEmpty, "\(verified.findings)")
            let actions = try await AuditTrail(store: store).log(unit: Fixtures.unitB).map(\.action)
            #expect(actions.filter { $0 == "purchase.status" }.count == 2)
        }
    }

    @Test func theAPIBooksAChangeOnceAndRefusesOneNoOrderMakes() async throws {
        try await APIWorld.with { world, client, store in
            let clerk = world.tokens["clerkA"]
            let created = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases", token: clerk, body: """
                {"orderNo": "U1", "orderDate": "2024-07-01", "channel": "platform832", "category": "canteenFood",
                 "originCode": "140603", "amount": "100.00", "status": "pending"}
                """)
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["counted"] as? Bool == false)
            let path = "/api/v1/purchases/\(id)/status"
            let early = try await client.call(.post, path, token: clerk, body: #"{"status": "completed", "changedOn": "2024-06-30"}"#)
            #expect(early.status == 422 && ((early.object["errors"] as? [[String: Any]]) ?? []).first?["field"] as? String == "changedOn")
            let paid = try await client.call(.post, path, token: clerk, body: #"{"status": "completed", "changedOn": "2024-07-03"}"#)
            #expect(paid.status == 201, "\(paid.text)")
            #expect(paid.object["status"] as? String == "completed" && paid.object["counted"] as? Bool == true)
            #expect(paid.object["storedStatus"] as? String == "pending")
            let history = paid.object["history"] as? [[String: Any]] ?? []
            #expect(history.count == 1 && history.first?["changedOn"] as? String == "2024-07-03")
            #expect(history.first?["bookedBy"] as? String == "account:clerkA")
            #expect(try await client.call(.post, path, token: clerk, body: #"{"status": "completed"}"#).status == 200)
            // The order sent again as it is now, or as it was, is the same order (200), not a conflict.
            for status in ["completed", "pending"] {
                let again = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases", token: clerk, body: """
                    {"orderNo": "U1", "orderDate": "2024-07-01", "channel": "platform832", "category": "canteenFood",
                     "originCode": "140603", "amount": "100.00", "status": "\(status)"}
                    """)
                #expect(again.status == 200, "\(status): \(again.text)")
            }
            // A report as of a day before the payment does not count it yet; after, it does.
            func actual(_ day: Int) async throws -> RuleQuantity? {
                try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitA,
                                                             asOf: CalendarDate(year: 2024, month: 7, day: day)))
                    .units.first?.rules.first { $0.rule == "canteen-reserve-10" }?.actual
            }
            guard case .money(let before)? = try await actual(2), case .money(let after)? = try await actual(5) else {
                Issue.record("no canteen rule")
                return
            }
            #expect(after - before == .yuan(100))
            let back = try await client.call(.post, path, token: clerk, body: #"{"status": "pending"}"#)
            #expect(back.status == 409 && (back.object["detail"] as? String)?.contains("cannot become pending") == true)
            // Another unit's clerk does not learn the purchase exists; an inspector may not write.
            #expect(try await client.call(.post, path, token: world.tokens["clerkB"], body: #"{"status": "refunded"}"#).status == 404)
            #expect(try await client.call(.post, path, token: world.tokens["inspectorShanxi"], body: #"{"status": "refunded"}"#).status == 403)
            // A partly refunded order is not refunded whole.
            let p1 = world.ids["P1"]!   // reversed in part by P8
            let whole = try await client.call(.post, "/api/v1/purchases/\(p1)/status", token: clerk, body: #"{"status": "refunded"}"#)
            #expect(whole.status == 409 && (whole.object["detail"] as? String)?.contains("reversals") == true)
            // The list shows the current status and the history too.
            let listed = try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)/purchases?status=completed&limit=1000", token: clerk)
            let u1 = ((listed.object["items"] as? [[String: Any]]) ?? []).first { $0["orderNo"] as? String == "U1" }
            #expect((u1?["history"] as? [Any])?.count == 1)
            #expect(try await AuditTrail(store: store).verify().findings.isEmpty)
        }
    }

    @Test func verifyNamesAStatusChangeAlteredBehindTheApplicationsBack() async throws {
        try await TestDatabase.withStores { store, superuser in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            _ = try await Self.importPurchases(store, Self.row("pending"))
            _ = try await Self.importPurchases(store, Self.row("completed"))
            #expect(try await AuditTrail(store: store).verify().findings.isEmpty)
            try await superuser.transaction { connection in
                try await connection.query("SET LOCAL session_replication_role = replica", logger: superuser.logger)
                try await connection.query("UPDATE purchase_status_changes SET changed_on = '2023-01-01'", logger: superuser.logger)
            }
            let findings = try await AuditTrail(store: store).verify().findings
            #expect(findings.count == 1)
            #expect(findings.first?.description.contains("status change") == true && findings.first?.description.contains("Q9") == true)
        }
    }
}
