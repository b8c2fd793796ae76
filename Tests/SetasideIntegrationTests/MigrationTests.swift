import Foundation
import PostgresNIO
@testable import SetasideStore
import Testing

@Suite struct MigrationTests {
    @Test func migratingAgainAppliesNothingAndAChangedFileIsAnError() async throws {
        try await TestDatabase.withStore(as: nil) { store in
            let applied = try await Migrator(store: store).migrate()
            #expect(applied.isEmpty)
            let pending = try await Migrator(store: store).pending()
            #expect(pending.isEmpty)
            var changed = Migration.all
            changed[1] = Migration(name: changed[1].name, sql: changed[1].sql + "\n-- edited after release\n")
            await #expect {
                try await Migrator(store: store, migrations: changed).migrate()
            } throws: { error in
                guard case StoreError.migrationChanged(let name, _, _) = error else { return false }
                return name == Migration.all[1].name
            }
            let fewer = Array(Migration.all.dropLast())
            await #expect(throws: StoreError.self) { try await Migrator(store: store, migrations: fewer).pending() }
        }
    }

    @Test func theApplicationRoleMayNotMigrate() async throws {
        try await TestDatabase.withStore { store in
            await #expect {
                try await Migrator(store: store).migrate()
            } throws: { error in
                guard case StoreError.refused(let message) = error else { return false }
                return message.contains("--owner")
            }
        }
    }

    /// The files of `sql/`, by name: what the binary must carry.
    static var sqlFiles: [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("sql").path)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted()
    }

    @Test func aFreshDatabaseGetsEveryMigrationInOrder() async throws {
        // The binary carries every file of sql/, in name order.
        let names = Migration.all.map(\.name)
        #expect(names.count >= 10)
        #expect(names == Self.sqlFiles)
        #expect(names == names.sorted())
        // A database nothing was ever migrated into (not the migrated template).
        try await TestDatabase.withDatabase(migrated: false) { url in
            try await Store.withStore(url: url, logger: TestDatabase.logger) { store in
                #expect(try await Migrator(store: store).pending() == names)
                let applied = try await Migrator(store: store).migrate()
                #expect(applied == names)
                // Recorded once each, in the order applied (one transaction each, so
                // later ones have later times), with the checksum of their text.
                let recorded = try await store.client.query("""
                    SELECT name, checksum FROM schema_migrations ORDER BY applied_at, name
                    """).collect().map { try $0.decode((String, String).self) }
                #expect(recorded.map(\.0) == names)
                let checksums = try await store.client.query("""
                    SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex')
                    FROM unnest(\(Migration.all.map(\.sql))::text[]) WITH ORDINALITY AS f(t, n) ORDER BY n
                    """).collect().map { try $0.decode(String.self) }
                #expect(recorded.map(\.1) == checksums)
                // The schema is the last migration's: the tables of each file are there,
                // 0008 ran after 0005 (the chain columns moved out of audit_log), 0010 ran.
                let tables = ["regions", "units", "declarations", "assignments", "agreements", "purchases", "findings", "policy_packs", "accounts",
                              "idempotency_keys", "audit_log", "audit_chain", "audit_pending"]
                let present = try await store.client.query("""
                    SELECT t FROM unnest(\(tables)::text[]) AS t WHERE to_regclass(t) IS NOT NULL
                    """).collect().map { try $0.decode(String.self) }
                #expect(present.sorted() == tables.sorted())
                let chainColumns = try await store.client.query("""
                    SELECT count(*)::bigint FROM information_schema.columns
                    WHERE table_name = 'audit_log' AND column_name IN ('seq', 'prev_hash', 'hash')
                    """).collect().map { try $0.decode(Int.self) }
                #expect(chainColumns == [0])
                let lastTrigger = try await store.client.query("""
                    SELECT count(*)::bigint FROM pg_trigger WHERE tgname = 'accounts_notify' AND NOT tgisinternal
                    """).collect().map { try $0.decode(Int.self) }
                #expect(lastTrigger == [1])   // 0010, the last file
                #expect(try await Migrator(store: store).pending().isEmpty)
                #expect(try await Migrator(store: store).migrate().isEmpty)
            }
        }
        // A migration that fails leaves nothing of itself behind.
        try await TestDatabase.withStore(as: nil) { store in
            let broken = Migration.all + [Migration(name: "9999_broken.sql", sql: "CREATE TABLE half (id int);\nSELECT nonsense_function();")]
            await #expect(throws: StoreError.self) { try await Migrator(store: store, migrations: broken).migrate() }
            let gone = try await store.client.query("SELECT to_regclass('half') IS NULL").collect().map { try $0.decode(Bool.self) }
            #expect(gone == [true])
            let recorded = try await store.client.query("SELECT count(*)::bigint FROM schema_migrations WHERE name = '9999_broken.sql'")
                .collect().map { try $0.decode(Int.self) }
            #expect(recorded == [0])
            let pending = try await Migrator(store: store).pending()
            #expect(pending.isEmpty)
        }
    }

    @Test func statementsSplitOutsideQuotesAndBodies() {
        let statements = SQLScript.statements("""
            -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a;b' $$;
            INSERT INTO t VALUES ('it''s; fine', "x;y");
            /* block; comment */ SELECT $1;
            """)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("SELECT 'a;b' $$"))
        #expect(statements[1].contains("'it''s; fine'"))
    }
}
