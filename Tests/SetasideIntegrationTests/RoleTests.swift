import Foundation
import PostgresNIO
import SetasideCore
@testable import SetasideOperations
@testable import SetasideStore
import Testing

/// The application role cannot get past the ledger or forge the trail; the owner owns
/// the schema; one URL of any role serves every command.
@Suite struct RoleTests {
    /// Runs `body` with a store logged in (by password, not by a superuser's `SET ROLE`,
    /// which a session could undo) as a new role that holds exactly the application
    /// role's rights, on a fresh migrated database; the superuser's store beside it.
    static func withApplicationLogin(_ body: @escaping @Sendable (_ application: Store, _ superuser: Store) async throws -> Void)
        async throws {
        let admin = try TestDatabase.adminURL()
        let login = "setaside_test_login_" + UUID().uuidString.prefix(8).lowercased()
        let password = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try await TestDatabase.admin(admin, "CREATE ROLE \(login) LOGIN PASSWORD '\(password)' IN ROLE \(DatabaseRoles.application)")
        do {
            try await TestDatabase.withDatabase { url in
                var applicationURL = url
                applicationURL.user = login
                applicationURL.password = password
                try await Store.withStore(url: applicationURL, logger: TestDatabase.logger) { application in
                    try await Store.withStore(url: url, logger: TestDatabase.logger) { superuser in
                        try await body(application, superuser)
                    }
                }
            }
        } catch {
            try? await TestDatabase.admin(admin, "DROP ROLE IF EXISTS \(login)")
            throw error
        }
        try await TestDatabase.admin(admin, "DROP ROLE IF EXISTS \(login)")
    }

    /// The SQLSTATE of running `sql`, or nil when it succeeds.
    static func refusal(_ store: Store, _ sql: String) async -> String? {
        do {
            // Read to the end: some errors arrive with the rows.
            _ = try await store.client.query(PostgresQuery(unsafeSQL: sql)).collect()
            return nil
        } catch {
            return StoreError.sqlState(error) ?? "not a database error: \(error)"
        }
    }

    @Test func everyWayPastTheLedgerIsRefusedToTheApplication() async throws {
        try await Self.withApplicationLogin { application, superuser in
            _ = try await ImportTests.load(application)
            let purchases = try await ImportTests.count(superuser, "purchases")
            let entries = try await ImportTests.count(superuser, "audit_log")
            #expect(purchases == 16)
            let insufficientPrivilege = "42501"
            let bypasses = [
                // The triggers switched off, for the session or for a table.
                "SET session_replication_role = replica",
                "ALTER TABLE purchases DISABLE TRIGGER ALL",
                "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                // The ledger and the trail changed, emptied or dropped.
                "UPDATE purchases SET amount = 1",
                "DELETE FROM purchases",
                "TRUNCATE purchases",
                "TRUNCATE findings",
                "DROP TABLE audit_chain",
                "DROP TABLE purchases_p0",
                "ALTER TABLE purchases DETACH PARTITION purchases_p0",
                "DELETE FROM audit_pending",
                // A row put in where the ledger's trigger does not see it.
                """
                INSERT INTO purchases_p0 (credit_code, order_no, order_date, channel, category, origin_code, amount, status, ledger_date)
                VALUES ('\(Fixtures.unitA)', 'SIDE', '2024-05-05', 'platform832', 'canteenFood', '530428', 100, 'completed', '2024-05-05')
                """,
                // A forged entry, or a forged link of the chain.
                """
                INSERT INTO audit_log (actor, action, entity, entity_key, after)
                VALUES ('someone', 'purchase.create', 'purchase', '1', '{"ids": [1], "digests": ["00"]}')
                """,
                "INSERT INTO audit_chain (seq, entry_id, prev_hash, hash) VALUES (999999, 1, 'x', 'y')",
                // The rules themselves rewritten.
                "CREATE OR REPLACE FUNCTION refuse_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                "ALTER FUNCTION audit_purchases() OWNER TO CURRENT_USER",
                // A shell command on the server, and more rights.
                "COPY purchases (order_no) FROM PROGRAM 'true'",
                "CREATE ROLE setaside_test_escalated SUPERUSER",
                "SET ROLE \(DatabaseRoles.owner)",
                "GRANT \(DatabaseRoles.owner) TO CURRENT_USER",
            ]
            for sql in bypasses {
                #expect(await Self.refusal(application, sql) == insufficientPrivilege, "not refused: \(sql)")
            }
            // A purchase entry through the one function that appends: refused by it.
            #expect(await Self.refusal(application, """
                SELECT audit_append('someone', 'purchase.create', 'purchase', '1', NULL, NULL,
                                    '{"ids": [1], "digests": ["00"]}'::jsonb)
                """) == "SA001")
            #expect(try await ImportTests.count(superuser, "purchases") == purchases)
            #expect(try await ImportTests.count(superuser, "audit_log") == entries)
            let verified = try await AuditTrail(store: application).verify()
            #expect(verified.findings.isEmpty)
            #expect(verified.purchasesChecked == 16)
        }
    }

    @Test func aPurchaseWrittenInSQLIsRecordedByTheLedgerItself() async throws {
        try await Self.withApplicationLogin { application, superuser in
            _ = try await ImportTests.load(application)
            // Someone with the application's password inserts a purchase by hand: the
            // ledger records it, with the digest of what was stored, whoever claims it.
            try await application.client.query("""
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount, status,
                                       ledger_date, booked_by)
                VALUES (\(Fixtures.unitB), 'BY-HAND', '2024-05-05', 'platform832', 'canteenFood', '530428', 100000,
                        'completed', '2024-05-05', 'account:nobody')
                """)
            let rows = try await superuser.client.query("""
                SELECT a.actor, a.action, a.after -> 'digests' ->> 0 = purchase_digest(p)
                FROM purchases p JOIN audit_log a ON a.entity = 'purchase' AND a.entity_key = p.id::text
                WHERE p.order_no = 'BY-HAND'
                """)
            var found: [(String, String, Bool)] = []
            for try await row in rows.decode((String, String, Bool).self) { found.append(row) }
            #expect(found.count == 1)
            #expect(found.first?.0 == "account:nobody")
            #expect(found.first?.1 == "purchase.create")
            #expect(found.first?.2 == true)
            #expect(try await AuditTrail(store: application).verify().findings.isEmpty)
            // Changed afterwards by the only one who can (a superuser): named.
            try await AuditTests.behindTheBack(superuser, "UPDATE purchases SET amount = 1 WHERE order_no = 'BY-HAND'")
            let findings = try await AuditTrail(store: application).verify().findings
            #expect(findings.count == 1)
            if case .purchaseChanged(_, _, let order)? = findings.first { #expect(order == "BY-HAND") } else {
                Issue.record("expected a changed purchase, got \(findings)")
            }
        }
    }

    @Test func theOwnerOwnsTheSchemaAndTheApplicationNothing() async throws {
        try await TestDatabase.withStore(as: nil) { superuser in
            let rows = try await superuser.client.query("""
                SELECT pg_get_userbyid(c.relowner)::text, count(*)::bigint
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S')
                GROUP BY 1
                """)
            var owners: [String: Int64] = [:]
            for try await (owner, count) in rows.decode((String, Int64).self) { owners[owner] = count }
            #expect(Array(owners.keys) == [DatabaseRoles.owner], "owners: \(owners)")
            let functions = try await AuditTests.count(superuser, """
                SELECT count(*)::bigint FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = '\(DatabaseRoles.application)'
                """)
            #expect(functions == 0)
            let attributes = try await superuser.client.query("""
                SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication
                FROM pg_roles WHERE rolname IN (\(DatabaseRoles.owner), \(DatabaseRoles.application))
                """)
            var privileged: [Bool] = []
            for try await value in attributes.decode(Bool.self) { privileged.append(value) }
            #expect(privileged == [false, false])
        }
    }

    @Test func aSuperusersURLActsAsTheApplicationRole() async throws {
        try await TestDatabase.withDatabase { url in
            let acting = try await Store.applicationURL(for: url, logger: TestDatabase.logger)
            #expect(acting.role == DatabaseRoles.application)
            let user = try await Operations.with(url: url, logger: TestDatabase.logger) { operations in
                try await operations.store.client.query("SELECT current_user::text").collect().first?.decode(String.self)
            }
            #expect(user == DatabaseRoles.application)
            // And migrating with it acts as the owner: nothing to apply, nothing refused.
            let applied = try await Operations.with(url: url, logger: TestDatabase.logger, migrating: true) { operations in
                try await operations.migrate()
            }
            #expect(applied.isEmpty)
        }
    }

    @Test func aPlainRolesURLMigratesAndRunsAsThatRole() async throws {
        let admin = try TestDatabase.adminURL()
        let login = "setaside_test_plain_" + UUID().uuidString.prefix(8).lowercased()
        let password = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try await TestDatabase.admin(admin, "CREATE ROLE \(login) LOGIN PASSWORD '\(password)'")
        let database = login + "_db"
        try await TestDatabase.admin(admin, "CREATE DATABASE \(database) OWNER \(login) TEMPLATE template0")
        do {
            var url = admin.withDatabase(database)
            url.user = login
            url.password = password
            let applied = try await Operations.with(url: url, logger: TestDatabase.logger, migrating: true) { operations in
                try await operations.migrate()
            }
            #expect(applied.count == Operations.migrationCount)
            let user = try await Operations.with(url: url, logger: TestDatabase.logger) { operations in
                _ = try await ImportTests.load(operations.store)
                return try await operations.store.client.query("SELECT current_user::text").collect().first?.decode(String.self)
            }
            #expect(user == login)
        } catch {
            try? await TestDatabase.admin(admin, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            try? await TestDatabase.admin(admin, "DROP ROLE IF EXISTS \(login)")
            throw error
        }
        try await TestDatabase.admin(admin, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        try await TestDatabase.admin(admin, "DROP ROLE IF EXISTS \(login)")
    }

    @Test func aDatabaseMigratedBeforeTheRolesIsHandedToTheOwner() async throws {
        // Migrated through 0013 as the superuser itself, as every database was before.
        try await TestDatabase.withDatabase(migrated: false) { url in
            try await Store.withStore(url: url, logger: TestDatabase.logger) { superuser in
                try await superuser.client.query("""
                    CREATE TABLE schema_migrations (name text PRIMARY KEY, checksum text NOT NULL,
                                                    applied_at timestamptz NOT NULL DEFAULT now())
                    """)
                for migration in Migration.all where migration.name < "0014" {
                    for statement in SQLScript.statements(migration.sql) {
                        try await superuser.client.query(PostgresQuery(unsafeSQL: statement))
                    }
                    try await superuser.client.query("""
                        INSERT INTO schema_migrations (name, checksum)
                        VALUES (\(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                        """)
                }
                let applied = try await Migrator(store: superuser).migrate()
                #expect(applied.count == Migration.all.count - 13)
                let notOwned = try await AuditTests.count(superuser, """
                    SELECT count(*)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S')
                      AND pg_get_userbyid(c.relowner) <> '\(DatabaseRoles.owner)'
                    """)
                #expect(notOwned == 0)
            }
            // The application role now works on it, and the trail still verifies.
            let (count, findings) = try await Operations.with(url: url, logger: TestDatabase.logger) { operations in
                _ = try await ImportTests.load(operations.store)
                return (try await ImportTests.count(operations.store, "purchases"),
                 try await AuditTrail(store: operations.store).verify().findings)
            }
            #expect(count == 16)
            #expect(findings.isEmpty)
        }
    }
}
