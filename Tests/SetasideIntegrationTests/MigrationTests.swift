import PostgresNIO
@testable import SetasideStore
import Testing

@Suite struct MigrationTests {
    @Test func migratingAgainAppliesNothingAndAChangedFileIsAnError() async throws {
        try await TestDatabase.withStore { store in
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

    @Test func aFreshDatabaseGetsEveryMigrationInOrder() async throws {
        try await TestDatabase.withDatabase { url in
            try await Store.withStore(url: url, logger: TestDatabase.logger) { store in
                // The template is already migrated: start over in a schema of its own.
                try await store.client.query("CREATE SCHEMA fresh")
                try await store.client.query("SET search_path TO fresh")
            }
        }
        // A migration that fails leaves nothing of itself behind.
        try await TestDatabase.withStore { store in
            let broken = Migration.all + [Migration(name: "9999_broken.sql", sql: "CREATE TABLE half (id int);\nSELECT nonsense_function();")]
            await #expect(throws: StoreError.self) { try await Migrator(store: store, migrations: broken).migrate() }
            let rows = try await store.client.query("SELECT to_regclass('half') IS NULL")
            for try await gone in rows.decode(Bool.self) { #expect(gone) }
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
