import PostgresNIO
@testable import SetasideStore
import Testing

/// A file of a province's units or orders takes one lock for the whole key space, not
/// one per key: the server's lock table (max_locks_per_transaction × connections) holds a
/// few thousand locks, and a 100 000-unit declarations file ran out of shared memory.
@Suite struct AdvisoryLockTests {
    /// This session's advisory locks: (key space or key, mode), from pg_locks.
    static func locks(_ connection: PostgresConnection) async throws -> [(key: Int64, mode: String)] {
        var out: [(Int64, String)] = []
        let rows = try await connection.query("""
            SELECT CASE WHEN objsubid = 2 THEN classid::bigint ELSE (classid::bigint << 32) | objid::bigint END, mode
            FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
            """, logger: TestDatabase.logger)
        for try await row in rows.decode((Int64, String).self) { out.append(row) }
        return out
    }

    @Test func aFewOrdersAreLockedOneByOneManyAsOne() async throws {
        try await TestDatabase.withStore { store in
            try await store.client.withConnection { connection in
                try await connection.query("BEGIN", logger: TestDatabase.logger)
                try await AdvisoryLocks.lockOrders(
                    selectedBy: "SELECT 'U' || g, 'O' || g FROM generate_series(1, 10) g", on: connection, logger: TestDatabase.logger)
                let few = try await Self.locks(connection)
                #expect(few.filter { $0.key == 4227103 }.count == 10)
                #expect(few.filter { $0.key == 4227104 }.map(\.mode) == ["ShareLock"])
                try await connection.query("ROLLBACK", logger: TestDatabase.logger)

                try await connection.query("BEGIN", logger: TestDatabase.logger)
                try await AdvisoryLocks.lockOrders(
                    selectedBy: "SELECT 'U' || g, 'O' || g FROM generate_series(1, \(AdvisoryLocks.perKeyLimit + 1)) g",
                    on: connection, logger: TestDatabase.logger)
                let many = try await Self.locks(connection)
                #expect(many.map(\.key) == [4227104] && many.map(\.mode) == ["ExclusiveLock"])
                try await connection.query("ROLLBACK", logger: TestDatabase.logger)

                try await connection.query("BEGIN", logger: TestDatabase.logger)
                let codes = (1...(AdvisoryLocks.perKeyLimit + 1)).map { "U\($0)" }
                try await Store.lockDeclaringUnits(codes, on: connection, logger: TestDatabase.logger)
                let units = try await Self.locks(connection)
                #expect(units.map(\.key) == [4227105] && units.map(\.mode) == ["ExclusiveLock"])
                try await connection.query("ROLLBACK", logger: TestDatabase.logger)

                try await connection.query("BEGIN", logger: TestDatabase.logger)
                try await Store.lockDeclaringUnits(["U1", "U2", "U1"], on: connection, logger: TestDatabase.logger)
                let two = try await Self.locks(connection)
                #expect(two.filter { $0.key == 4227101 }.count == 2 && two.filter { $0.key == 4227105 }.map(\.mode) == ["ShareLock"])
                try await connection.query("ROLLBACK", logger: TestDatabase.logger)
            }
        }
    }
}
