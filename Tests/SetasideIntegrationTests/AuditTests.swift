import PostgresNIO
import SetasideCore
@testable import SetasideStore
import Testing

/// The trail catches what is done to the ledger behind the application's back.
@Suite struct AuditTests {
    /// Runs SQL as someone who bypasses the append-only triggers (a superuser with
    /// `session_replication_role = replica`), as an attacker with psql and the
    /// superuser's password would.
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
        try await TestDatabase.withStores { store, superuser in
            _ = try await ImportTests.load(store)
            let p1 = try await Self.id(store, "P1")
            let p4 = try await Self.id(store, "P4")
            try await Self.behindTheBack(superuser, "UPDATE purchases SET amount = amount * 10 WHERE id = \(p1)")
            try await Self.behindTheBack(superuser, "DELETE FROM purchases WHERE id = \(p4) ")
            try await Self.behindTheBack(superuser, """
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

    /// Many findings are all read: verify once waited forever on a second query while the
    /// rows of the first, more than the connection buffers, were still unread.
    @Test(.timeLimit(.minutes(1))) func manyFindingsAreAllReported() async throws {
        try await TestDatabase.withStores { store, superuser in
            _ = try await ImportTests.load(store)
            try await Self.behindTheBack(superuser, """
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount, status, ledger_date)
                SELECT '\(Fixtures.unitB)', 'FORGED-' || n, '2024-05-05', 'platform832', 'canteenFood', '530428', 100, 'completed',
                       '2024-05-05'
                FROM generate_series(1, 50000) AS n
                """)
            let result = try await AuditTrail(store: store).verify()
            #expect(result.findings.count == 50000)
            #expect(result.purchasesChecked == 50016)
        }
    }

    /// The id of the entry sealed at `seq`.
    static func entry(_ store: Store, seq: Int64) async throws -> Int64 {
        let rows = try await store.client.query("SELECT entry_id FROM audit_chain WHERE seq = \(seq)")
        for try await id in rows.decode(Int64.self) { return id }
        return -1
    }

    @Test func anEditedOrRemovedEntryBreaksTheChain() async throws {
        try await TestDatabase.withStores { store, superuser in
            _ = try await ImportTests.load(store)
            try await AuditTrail(store: store).seal()
            let second = try await Self.entry(store, seq: 2), fourth = try await Self.entry(store, seq: 4)
            let sixth = try await Self.entry(store, seq: 6)
            try await Self.behindTheBack(superuser, "UPDATE audit_log SET actor = 'someone else' WHERE id = \(second)")
            try await Self.behindTheBack(superuser, "DELETE FROM audit_log WHERE id = \(fourth)")
            // A link of the chain removed, and an entry written with the triggers off.
            try await Self.behindTheBack(superuser, "DELETE FROM audit_chain WHERE seq = 6")
            try await Self.behindTheBack(superuser, """
                INSERT INTO audit_log (actor, action, entity, entity_key) VALUES ('someone', 'purchase.create', 'purchase', '1')
                """)
            let forged = try await Self.count(store, "SELECT max(id) FROM audit_log")
            let result = try await AuditTrail(store: store).verify()
            #expect(result.findings.contains(.entryChanged(seq: 2, id: second)))
            #expect(result.findings.contains(.entryRemoved(seq: 4, id: fourth)))
            #expect(result.findings.contains { finding in
                if case .chainBroken(seq: 7, _) = finding { return true } else { return false }
            })
            #expect(result.findings.contains(.entryUnchained(id: forged)))
            #expect(result.findings.contains(.entryUnchained(id: sixth)))   // its link is gone
            #expect(result.findings.count == 5)
        }
    }

    static func count(_ store: Store, _ sql: String) async throws -> Int64 {
        let rows = try await store.client.query(PostgresQuery(unsafeSQL: sql))
        for try await value in rows.decode(Int64.self) { return value }
        return -1
    }

    @Test func sealingWritesEachEntryOnceAndEmptiesThePendingList() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let entries = try await Self.count(store, "SELECT count(*)::bigint FROM audit_log")
            #expect(try await Self.count(store, "SELECT count(*)::bigint FROM audit_pending") == entries)
            let versions = "SELECT count(DISTINCT xmin::text)::bigint FROM audit_log"
            let before = try await Self.count(store, versions)
            let sealed = try await AuditTrail(store: store).seal()
            #expect(Int64(sealed) == entries)
            #expect(try await Self.count(store, "SELECT count(*)::bigint FROM audit_pending") == 0)
            #expect(try await Self.count(store, "SELECT count(*)::bigint FROM audit_chain") == entries)
            // Sealing changed no entry: every row of audit_log is still the version its
            // writer made (an UPDATE would give the sealed rows the sealer's xmin).
            #expect(try await Self.count(store, versions) == before)
            #expect(try await AuditTrail(store: store).seal() == 0)
        }
    }

    /// The SQLSTATE of running `sql`, or nil when it succeeds.
    static func refusal(_ store: Store, _ sql: String) async -> String? {
        do {
            try await store.client.query(PostgresQuery(unsafeSQL: sql))
            return nil
        } catch {
            return (error as? PSQLError)?.serverInfo?[.sqlState] ?? "not a PSQLError: \(error)"
        }
    }

    @Test func theTrailRefusesEditsEvenByItsOwner() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { store in
            _ = try await ImportTests.load(store)
            try await AuditTrail(store: store).seal()
            let entries = try await Self.count(store, "SELECT count(*)::bigint FROM audit_log")
            #expect(entries > 0)
            // The append-only trigger's own refusal (SA001), not just any error.
            #expect(await Self.refusal(store, "UPDATE audit_log SET actor = 'x'") == "SA001")
            #expect(await Self.refusal(store, "DELETE FROM audit_log") == "SA001")
            #expect(try await Self.count(store, "SELECT count(*)::bigint FROM audit_log WHERE actor = 'x'") == 0)
            #expect(try await Self.count(store, "SELECT count(*)::bigint FROM audit_log") == entries)
        }
    }
}
