import PostgresNIO
import SetasideCore
@testable import SetasideStore
import Testing

/// The trail catches what is done to the ledger behind the application's back.
@Suite struct AuditTests {
    /// Runs SQL as someone who bypasses the append-only triggers (a superuser with
    /// `session_replication_role = replica`), as an attacker with psql would.
    static func behindTheBack(_ store: Store, _ sql: String) async throws {
        try await store.client.withConnection { connection in
            try await connection.query("SET session_replication_role = replica", logger: store.logger)
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: store.logger)
            try await connection.query("SET session_replication_role = DEFAULT", logger: store.logger)
        }
    }

    static func id(_ store: Store, _ orderNo: String) async throws -> Int64 {
        let rows = try await store.client.query("SELECT id FROM purchases WHERE order_no = \(orderNo)")
        for try await id in rows.decode(Int64.self) { return id }
        return -1
    }

    @Test func anUntouchedLedgerVerifies() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let result = try await AuditTrail(store: store).verify()
            #expect(result.findings.isEmpty)
            #expect(result.purchasesChecked == 16)
            #expect(result.entries >= 6)   // one entry per import and unit at least
            #expect(result.head?.count == 64)
            // A second import of the same files stores nothing and records nothing.
            _ = try await ImportTests.load(store)
            let again = try await AuditTrail(store: store).verify()
            #expect(again.entries == result.entries)
        }
    }

    @Test func changesRemovalsAndInsertionsInSQLAreNamed() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let p1 = try await Self.id(store, "P1")
            let p4 = try await Self.id(store, "P4")
            try await Self.behindTheBack(store, "UPDATE purchases SET amount = amount * 10 WHERE id = \(p1)")
            try await Self.behindTheBack(store, "DELETE FROM purchases WHERE id = \(p4) ")
            try await Self.behindTheBack(store, """
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount, status, ledger_date)
                VALUES ('\(Fixtures.unitB)', 'FORGED', '2024-05-05', 'platform832', 'canteenFood', '530428', 100000, 'completed', '2024-05-05')
                """)
            let result = try await AuditTrail(store: store).verify()
            let forged = try await Self.id(store, "FORGED")
            #expect(Set(result.findings) == [
                .purchaseChanged(id: p1, creditCode: Fixtures.unitA, orderNo: "P1"),
                .purchaseRemoved(id: p4),
                .purchaseUnrecorded(id: forged, creditCode: Fixtures.unitB, orderNo: "FORGED"),
            ])
        }
    }

    @Test func anEditedOrRemovedEntryBreaksTheChain() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            try await AuditTrail(store: store).seal()
            try await Self.behindTheBack(store, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
            try await Self.behindTheBack(store, "DELETE FROM audit_log WHERE seq = 4")
            let result = try await AuditTrail(store: store).verify()
            #expect(result.findings.contains(.entryChanged(seq: 2, id: 2)) || result.findings.contains { finding in
                if case .entryChanged(seq: 2, _) = finding { return true } else { return false }
            })
            #expect(result.findings.contains { finding in
                if case .chainBroken(seq: 5, _) = finding { return true } else { return false }
            })
        }
    }

    @Test func theTrailRefusesEditsThroughTheApplicationsOwnPath() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            try await AuditTrail(store: store).seal()
            await #expect(throws: (any Error).self) {
                try await store.client.query("UPDATE audit_log SET actor = 'x'")
            }
            await #expect(throws: (any Error).self) {
                try await store.client.query("DELETE FROM audit_log")
            }
        }
    }
}
