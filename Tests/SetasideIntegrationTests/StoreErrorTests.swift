import PostgresNIO
@testable import SetasideStore
import Testing

/// A database error becomes the StoreError its SQLSTATE means, as every edge shows it.
@Suite struct StoreErrorTests {
    /// The error `sql` raises, as `StoreError.wrapping` reads it.
    static func wrapped(_ store: Store, _ statements: String...) async -> StoreError? {
        do {
            try await store.transaction { connection in
                for sql in statements {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: store.logger).collect()
                }
            }
            return nil
        } catch {
            return StoreError.wrapping(error)
        }
    }

    @Test func eachKindOfRefusalIsNamedByItsState() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { owner in
            // The ledger's own trigger, which refuses even the owner: a refusal.
            guard case .refused(let append)? = await Self.wrapped(owner, "TRUNCATE findings") else {
                Issue.record("a TRUNCATE of the findings is not a refusal"); return
            }
            #expect(append.contains("append-only"))
        }
        try await TestDatabase.withStore { store in
            // A right the application role lacks: a refusal.
            guard case .refused(let denied)? = await Self.wrapped(store, "TRUNCATE findings") else {
                Issue.record("a TRUNCATE of the findings by the application is not a refusal"); return
            }
            #expect(denied.contains("permission denied"))
            // A unique key: a conflict.
            guard case .conflict? = await Self.wrapped(store, "INSERT INTO regions (code, name, level, parent_code, poverty_relieved) SELECT code, name, level, parent_code, poverty_relieved FROM regions LIMIT 1") else {
                Issue.record("a repeated key is not a conflict"); return
            }
            // A statement that runs out of time: busy, try again.
            guard case .busy? = await Self.wrapped(store, "SET LOCAL statement_timeout = 10", "SELECT pg_sleep(1)") else {
                Issue.record("a cancelled statement is not busy"); return
            }
        }
        // The server ending the session: the connection is lost. (Logged in as the
        // superuser, a session acting as another role may not end itself.)
        try await TestDatabase.withStore(as: nil) { store in
            guard case .connectionLost? = await Self.wrapped(store, "SELECT pg_terminate_backend(pg_backend_pid())") else {
                Issue.record("a terminated session is not a lost connection"); return
            }
        }
    }
}
