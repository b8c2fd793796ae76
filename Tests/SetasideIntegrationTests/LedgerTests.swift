import PostgresNIO
@testable import SetasideStore
import Testing

/// The ledger is append-only at the database itself, whoever connects: the triggers
/// refuse even the schema's owner.
@Suite struct LedgerTests {
    func refusal(_ store: Store, _ sql: String) async -> String? {
        do {
            try await store.client.query(PostgresQuery(unsafeSQL: sql))
            return nil
        } catch {
            return StoreError.sqlState(error)
        }
    }

    @Test func updateDeleteAndTruncateOfPurchasesAreRefused() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { store in
            _ = try await ImportTests.load(store)
            #expect(await refusal(store, "UPDATE purchases SET amount = 1 WHERE order_no = 'P1'") == "SA001")
            #expect(await refusal(store, "DELETE FROM purchases WHERE order_no = 'P1'") == "SA001")
            #expect(await refusal(store, "TRUNCATE purchases CASCADE") == "SA001")
            // The partition that holds the row carries the refusal too.
            var partition = ""
            let rows = try await store.client.query("SELECT tableoid::regclass::text FROM purchases WHERE order_no = 'P1'")
            for try await name in rows.decode(String.self) { partition = name }
            #expect(partition.hasPrefix("purchases_p"))
            #expect(await refusal(store, "UPDATE \(partition) SET amount = amount") == "SA001")
            let value1 = try await ImportTests.count(store, "purchases")
            #expect(value1 == 16)
        }
    }

    @Test func findingsAreAppendOnlyToo() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { store in
            _ = try await ImportTests.load(store)
            try await store.client.query("""
                INSERT INTO findings (credit_code, order_no, verdict, reason, inspector)
                VALUES (\(Fixtures.unitA), 'P7', 'reject', 'no receipt', 'inspector-1')
                """)
            #expect(await refusal(store, "UPDATE findings SET verdict = 'accept'") == "SA001")
            #expect(await refusal(store, "DELETE FROM findings") == "SA001")
        }
    }

    @Test func aReversalMustBeNegativeAndPointAtAnOrderOfTheSameUnit() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // The check constraints hold even for rows that bypass the importer.
            let positive = await refusal(store, """
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                       status, reversal_of, ledger_date)
                VALUES ('\(Fixtures.unitA)', 'X1', '2024-01-01', 'other', 'canteenFood', '140603', 100, 'completed', 'P1', '2024-01-01')
                """)
            #expect(positive == "23514")
            let otherUnit = await refusal(store, """
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                       status, reversal_of, ledger_date)
                VALUES ('\(Fixtures.unitB)', 'X2', '2024-01-01', 'other', 'canteenFood', '140603', -100, 'completed', 'P1', '2024-01-01')
                """)
            #expect(otherUnit == "23503")
        }
    }

    @Test func amountsBeyondTheLargestAcceptedAreRefusedByTheDatabaseToo() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            func insert(_ order: String, _ fen: Int64) -> String {
                """
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                       status, ledger_date)
                VALUES ('\(Fixtures.unitA)', '\(order)', '2024-01-01', 'other', 'canteenFood', '140603', \(fen),
                        'completed', '2024-01-01')
                """
            }
            #expect(await refusal(store, insert("B1", 1_000_000_000_001)) == "23514")
            #expect(await refusal(store, insert("B2", Int64.max)) == "23514")
            #expect(await refusal(store, insert("B3", 1_000_000_000_000)) == nil)
            #expect(await refusal(store, """
                INSERT INTO declarations (credit_code, year, version, canteen_food_total, reserved_amount, union_welfare_budget)
                VALUES ('\(Fixtures.unitA)', 2031, 1, 1000000000001, 0, 0)
                """) == "23514")
        }
    }
}
