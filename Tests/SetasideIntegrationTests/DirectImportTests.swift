import PostgresNIO
import SetasideCore
@testable import SetasideStore
import Testing

/// A purchases file's orders are COPYed straight into the ledger and only its reversals
/// are staged; when the ledger refuses an order (stored already, or naming what is not
/// stored), the whole file is staged and checked instead, and the answer is the same as
/// if it had been staged from the start: every problem by line, nothing kept.
@Suite struct DirectImportTests {
    static let a = Fixtures.unitA

    static func order(_ n: Int, amount: String = "10", origin: String = "140603", unit: String = a) -> String {
        "\(unit),DIR-\(n),2024-07-0\(n % 9 + 1),platform832,canteenFood,\(origin),\(amount),completed,,\n"
    }

    static func reversal(_ n: Int, of original: Int, amount: String) -> String {
        "\(a),DIR-R\(n),2025-01-05,platform832,canteenFood,140603,\(amount),completed,,DIR-\(original)\n"
    }

    static func importFile(_ store: Store, _ rows: String...) async throws -> ImportSummary {
        var importer = Importer(store: store, actor: "cli:direct")
        importer.batchSize = 2
        let bytes = Array((PipelinedImportTests.header + rows.joined()).utf8)
        return try await importer.importPurchases(reading: { () throws(ImportError) in
            try ImportParser.purchaseReader(bytes)
        })
    }

    static func stored(_ store: Store) async throws -> [String] {
        try await store.client.query("SELECT order_no FROM purchases WHERE order_no LIKE 'DIR-%' ORDER BY order_no")
            .collect().map { try $0.decode(String.self) }
    }

    static func problems(_ error: any Error) -> [String] {
        guard case ImportError.rejected(let problems) = error else { return ["not rejected: \(error)"] }
        return problems.map { "\($0.line) \($0.field)" }
    }

    @Test func ordersGoStraightIntoTheLedgerAndOnlyReversalsAreStaged() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // The reversal comes before its original in the file.
            let summary = try await Self.importFile(store, Self.reversal(1, of: 3, amount: "-4"),
                                                    Self.order(1), Self.order(2), Self.order(3))
            #expect(summary.rows == 4 && summary.inserted == 4 && summary.staged == 1)
            #expect(try await Self.stored(store) == ["DIR-1", "DIR-2", "DIR-3", "DIR-R1"])
            // Booked by the importer; the reversal counts on its original's date.
            let rows = try await store.client.query("""
                SELECT order_no, booked_by, ledger_date::text FROM purchases WHERE order_no LIKE 'DIR-%' ORDER BY order_no
                """).collect().map { try $0.decode((String, String, String).self) }
            #expect(rows.allSatisfy { $0.1 == "cli:direct" })
            #expect(rows.map(\.2) == ["2024-07-02", "2024-07-03", "2024-07-04", "2024-07-04"])
            // One trail entry for the copied orders and one for the staged reversal, both
            // named by the import, each listing its rows.
            let entries = try await store.client.query("""
                SELECT actor, jsonb_array_length(after->'ids')::bigint FROM audit_log
                WHERE action = 'import.purchases' AND actor = 'cli:direct' ORDER BY id
                """).collect().map { try $0.decode((String, Int).self) }
            #expect(entries.map(\.1) == [3, 1])
        }
    }

    @Test func aStoredOrderSendsTheWholeFileThroughTheChecks() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            _ = try await Self.importFile(store, Self.order(1), Self.order(2))
            let again = try await Self.importFile(store, Self.order(3), Self.order(1), Self.order(2), Self.order(4))
            #expect(again.rows == 4 && again.inserted == 2 && again.unchanged == 2 && again.staged == 4)
            #expect(try await Self.stored(store) == ["DIR-1", "DIR-2", "DIR-3", "DIR-4"])
        }
    }

    @Test func anOrderStoredWithOtherContentIsNamedByLineAndNothingIsKept() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            _ = try await Self.importFile(store, Self.order(1))
            await #expect {
                _ = try await Self.importFile(store, Self.order(2), Self.order(3), Self.order(4), Self.order(5),
                                              Self.order(1, amount: "11"))
            } throws: { error in
                Self.problems(error) == ["6 order_no"]
            }
            #expect(try await Self.stored(store) == ["DIR-1"])
        }
    }

    @Test func aUnitOrOriginNotStoredIsNamedByLineAndNothingIsKept() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let stranger = Fixtures.code("12140603MB0000099")
            await #expect {
                _ = try await Self.importFile(store, Self.order(1), Self.order(2), Self.order(3, origin: "140699"),
                                              Self.order(4, unit: stranger))
            } throws: { error in
                Self.problems(error) == ["4 origin_code", "5 credit_code"]
            }
            #expect(try await Self.stored(store) == [])
        }
    }

    @Test func aReversalRefusedTakesBackTheOrdersCopiedBeforeIt() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            await #expect {
                _ = try await Self.importFile(store, Self.order(1), Self.order(2), Self.reversal(1, of: 2, amount: "-7"),
                                              Self.reversal(2, of: 2, amount: "-4"))
            } throws: { error in
                // 7 + 4 yuan taken back from an order of 10.
                Self.problems(error) == ["4 amount", "5 amount"]
            }
            #expect(try await Self.stored(store) == [])
            // Nothing of the refused import is in the trail either.
            let entries = try await store.client.query(
                "SELECT count(*)::bigint FROM audit_log WHERE actor = 'cli:direct'").collect().map { try $0.decode(Int.self) }
            #expect(entries == [0])
        }
    }
}
