import PostgresNIO
import SetasideCore
@testable import SetasideOperations
@testable import SetasideStore
import Testing

/// An import running while the API writes the same unit's purchases: the API does not
/// take the import lock, so the two meet at the rows themselves.
@Suite struct ImportConcurrencyTests {
    static let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"

    static func record(_ order: String, amount: String, reversalOf: String = "") throws -> PurchaseRecord {
        var record = try #require(try ImportParser.purchases(Array((header
            + "\(Fixtures.unitA),\(order),2024-07-01,platform832,canteenFood,140603,\(amount),completed,,\(reversalOf)\n").utf8))
            .records.first)
        record.line = 0   // sent alone, as the API sends it
        return record
    }

    /// Writes `record` as the API does and keeps its transaction open until the import
    /// started meanwhile waits on it (or 5 s pass: an import that never waits has run
    /// past the uncommitted row); returns once the write is done (the transaction still
    /// open) and the task that commits it.
    static func holdWrite(_ store: Store, _ record: PurchaseRecord) async throws -> Task<Void, any Error> {
        try await hold(store) { connection in _ = try await store.createPurchase(record, actor: "api:tests", on: connection) }
    }

    /// Runs `write` in a transaction held open until `release` returns (by default, as
    /// `holdWrite` does: until another session waits on it).
    static func hold(_ store: Store, until release: (@Sendable () async throws -> Void)? = nil,
                     _ write: @escaping @Sendable (PostgresConnection) async throws -> Void)
        async throws -> Task<Void, any Error> {
        let (written, signal) = AsyncStream<Void>.makeStream()
        let task = Task {
            // A write that fails ends the wait too (its task then throws).
            defer { signal.finish() }
            try await store.transaction { connection in
                try await write(connection)
                signal.yield()
                if let release { try await release() } else { try await waitForABlockedBackend(store) }
            }
        }
        for await _ in written { break }
        return task
    }

    /// Returns once another session of this database waits on a lock, or after 5 s.
    static func waitForABlockedBackend(_ store: Store) async throws {
        for _ in 0..<250 {
            let rows = try await store.client.query("""
                SELECT count(*)::bigint FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                """)
            for try await count in rows.decode(Int.self) where count > 0 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func anImportAndAnAPIReversalCannotBothTakeBackTheSameAmount() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // P7 is 1500.00 with nothing taken back yet.
            let api = try await Self.holdWrite(store, try Self.record("RA", amount: "-1500.00", reversalOf: "P7"))
            let file = Self.header + "\(Fixtures.unitA),RF,2024-07-02,platform832,canteenFood,140603,-1500.00,completed,,P7\n"
            await #expect {
                try await Operations(store: store).importFile(.purchases, bytes: Array(file.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["2 amount"]
            }
            try await api.value
            let rows = try await store.client.query("SELECT order_no FROM purchases WHERE reversal_of = 'P7'")
            var reversals: [String] = []
            for try await order in rows.decode(String.self) { reversals.append(order) }
            #expect(reversals == ["RA"])
        }
    }

    @Test func anOrderTheAPIStoresDuringAnImportIsCheckedAgainNotAFailure() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // The same order, same content, from both: the import counts it as unchanged.
            let api = try await Self.holdWrite(store, try Self.record("N1", amount: "10.00"))
            let same = Self.header
                + "\(Fixtures.unitA),N1,2024-07-01,platform832,canteenFood,140603,10.00,completed,,\n"
                + "\(Fixtures.unitA),N2,2024-07-01,platform832,canteenFood,140603,20.00,completed,,\n"
            let summary = try await Operations(store: store).importFile(.purchases, bytes: Array(same.utf8), by: .commandLine(user: "tests"))
            try await api.value
            #expect(summary.inserted == 1 && summary.unchanged == 1)

            // Other content: the import is refused, naming the row, and stores nothing.
            let other = try await Self.holdWrite(store, try Self.record("N3", amount: "30.00"))
            let conflicting = Self.header
                + "\(Fixtures.unitA),N4,2024-07-01,platform832,canteenFood,140603,40.00,completed,,\n"
                + "\(Fixtures.unitA),N3,2024-07-01,platform832,canteenFood,140603,31.00,completed,,\n"
            await #expect {
                try await Operations(store: store).importFile(.purchases, bytes: Array(conflicting.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["3 order_no"]
            }
            try await other.value
            #expect(try await ImportTests.count(store, "purchases WHERE order_no = 'N4'") == 0)
            #expect(try await ImportTests.count(store, "purchases") == 16 + 3)
        }
    }

    @Test func aDeclarationWrittenDuringAnImportIsNotSilentlyKeptUnderTheFile() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // Another writer (plain SQL, which takes no lock on the unit) stores unitA's
            // 2025 declaration as version 1 and commits while the file runs.
            let writer = try await Self.hold(store) { connection in
                try await connection.query("""
                    INSERT INTO declarations (credit_code, year, version, canteen_food_total, reserved_amount, union_welfare_budget)
                    VALUES (\(Fixtures.unitA), 2025, 1, 100000, 10000, 0)
                    """, logger: store.logger)
            }
            let file = "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget\n"
                + "\(Fixtures.unitA),2025,2000.00,200.00,0\n"
            await #expect {
                try await Operations(store: store).importFile(.declarations, bytes: Array(file.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map(\.line) == [2] && problems[0].reason.contains("another writer")
            }
            try await writer.value
            let rows = try await store.client.query("SELECT canteen_food_total FROM declarations WHERE year = 2025")
            var totals: [Int64] = []
            for try await total in rows.decode(Int64.self) { totals.append(total) }
            #expect(totals == [100000])   // the other writer's figures, and the file's refused
            // Imported again, the file is the next version.
            let again = try await Operations(store: store).importFile(.declarations, bytes: Array(file.utf8),
                                                                      by: .commandLine(user: "tests"))
            #expect(again.inserted == 1)
            #expect(try await store.declarationHistory(of: Fixtures.unitA, year: 2025).counted?.version == 2)
        }
    }

    @Test func anAPIReversalGivesUpWithBusyWhileAnImportHoldsItsOrder() async throws {
        try await TestDatabase.withStore { base in
            _ = try await ImportTests.load(base)
            var store = base
            store.reversalLockTimeout = .milliseconds(200)
            // An import reversing P7 holds the order (as a reversal does) until told to finish.
            let (finish, release) = AsyncStream<Void>.makeStream()
            let importer = try await Self.hold(base, until: { for await _ in finish { break } }) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: "SELECT " + AdvisoryLocks.order("'\(Fixtures.unitA)'", "'P7'")),
                                           logger: base.logger)
            }
            let started = ContinuousClock.now
            await #expect {
                _ = try await store.createPurchase(try Self.record("RB", amount: "-10.00", reversalOf: "P7"), actor: "api:tests")
            } throws: { error in
                guard case StoreError.busy(let detail) = error else { return false }
                return detail.contains("P7")
            }
            #expect(ContinuousClock.now - started < .seconds(5))
            release.yield()
            try await importer.value
            // Once the order is free, the same reversal goes through.
            let (stored, created) = try await store.createPurchase(try Self.record("RB", amount: "-10.00", reversalOf: "P7"), actor: "api:tests")
            #expect(created && stored.amount == Money(fen: -1_000))
        }
    }
}
