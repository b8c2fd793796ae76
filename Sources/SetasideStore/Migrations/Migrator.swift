import Logging
import PostgresNIO

/// Applies the migrations in order and records each, with a checksum of its text, in
/// `schema_migrations`. A changed, already-applied file is an error.
public struct Migrator: Sendable {
    public let store: Store
    public let migrations: [Migration]

    public init(store: Store, migrations: [Migration] = Migration.all) {
        self.store = store
        self.migrations = migrations
    }

    /// Applies the pending migrations, each in its own transaction, and returns their names.
    ///
    /// As a superuser it first creates (or reuses) the owner and application roles and
    /// applies the migrations as the owner; as the owner, or a superuser, it then grants
    /// the application role its rights. Any other role migrates as itself, and is then the
    /// role everything runs as.
    @discardableResult
    public func migrate() async throws -> [String] {
        let session = try await store.client.withConnection { connection in
            try await DatabaseRoles.session(on: connection, logger: store.logger)
        }
        guard session.user != DatabaseRoles.application else {
            throw StoreError.refused(
                "\(DatabaseRoles.application) may not change the schema: run `setaside migrate` with the owner's "
                    + "URL (`setaside db url --owner`) or a superuser's")
        }
        if session.isSuperuser {
            try await store.transaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(4227100001)", logger: store.logger)
                try await DatabaseRoles.prepare(on: connection, passwords: nil, logger: store.logger)
            }
        }
        // The objects a superuser creates are the owner's.
        let actAsOwner = session.isSuperuser ? "SET LOCAL ROLE \(DatabaseRoles.owner)" : nil
        var applied: [String] = []
        for migration in migrations {
            let didApply = try await store.transaction { connection in
                // One migrator at a time; a second waits and then finds nothing to do.
                try await connection.query("SELECT pg_advisory_xact_lock(4227100001)", logger: store.logger)
                if let actAsOwner { try await connection.query(PostgresQuery(unsafeSQL: actAsOwner), logger: store.logger) }
                try await createTable(connection)
                let recorded = try await recordedChecksums(connection)
                try check(recorded)
                if recorded[migration.name] != nil { return false }
                for (index, statement) in SQLScript.statements(migration.sql).enumerated() {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: store.logger)
                    } catch {
                        throw StoreError.migrationFailed(name: migration.name, statement: index + 1,
                                                         reason: StoreError.describe(error))
                    }
                }
                try await connection.query("""
                    INSERT INTO schema_migrations (name, checksum)
                    VALUES (\(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                    """, logger: store.logger)
                return true
            }
            if didApply { applied.append(migration.name) }
        }
        if session.isSuperuser || (session.user == DatabaseRoles.owner && session.applicationRoleExists) {
            try await store.transaction { connection in
                if let actAsOwner { try await connection.query(PostgresQuery(unsafeSQL: actAsOwner), logger: store.logger) }
                try await DatabaseRoles.grantApplication(on: connection, logger: store.logger)
            }
        }
        return applied
    }

    /// The names of the migrations not yet applied; throws if an applied one changed.
    public func pending() async throws -> [String] {
        try await store.client.withConnection { connection in
            let session = try await DatabaseRoles.session(on: connection, logger: store.logger)
            guard session.schemaRecorded else { return migrations.map(\.name) }
            guard session.mayReadSchema else { throw StoreError.notGranted(role: session.user) }
            let recorded = try await recordedChecksums(connection)
            try check(recorded)
            return migrations.map(\.name).filter { recorded[$0] == nil }
        }
    }

    /// Throws `notMigrated` unless every migration is applied.
    public func requireCurrent() async throws {
        let pending = try await pending()
        if !pending.isEmpty { throw StoreError.notMigrated(pending: pending) }
    }

    private func createTable(_ connection: PostgresConnection) async throws {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                name       text PRIMARY KEY,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, logger: store.logger)
    }

    /// name → (checksum recorded, checksum of this binary's text), computed by the server.
    private func recordedChecksums(_ connection: PostgresConnection) async throws -> [String: (String, String?)] {
        let names = migrations.map(\.name)
        let texts = migrations.map(\.sql)
        let rows = try await connection.query("""
            SELECT m.name, m.checksum, encode(sha256(convert_to(f.text, 'UTF8')), 'hex')
            FROM schema_migrations m
            LEFT JOIN unnest(\(names)::text[], \(texts)::text[]) AS f(name, text) ON f.name = m.name
            """, logger: store.logger)
        var result: [String: (String, String?)] = [:]
        for try await (name, recorded, now) in rows.decode((String, String, String?).self) {
            result[name] = (recorded, now)
        }
        return result
    }

    private func check(_ recorded: [String: (String, String?)]) throws {
        let unknown = recorded.filter { $0.value.1 == nil }.keys.sorted()
        if !unknown.isEmpty { throw StoreError.unknownMigrations(unknown) }
        for (name, (applied, now)) in recorded.sorted(by: { $0.key < $1.key }) where applied != now {
            throw StoreError.migrationChanged(name: name, applied: applied, now: now ?? "")
        }
    }
}
