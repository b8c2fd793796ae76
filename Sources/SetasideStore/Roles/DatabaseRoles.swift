import Logging
import PostgresNIO

/// The two database roles setaside works through (docs/design.md, "Database roles"):
/// the owner, which owns the schema and runs the migrations, and the application role,
/// which the server and the commands act as and which owns nothing.
///
/// Roles are the cluster's, so every setaside database of one server shares them; each
/// database holds its own grants.
public enum DatabaseRoles {
    /// Owns the tables, views and functions; `setaside migrate` acts as it.
    public static let owner = "setaside_owner"
    /// Reads everything and writes only what `setaside_grant_application` grants.
    public static let application = "setaside_app"

    /// Who a connection is.
    struct Session {
        var user: String
        var isSuperuser: Bool
        var applicationRoleExists: Bool
        /// Whether `schema_migrations` exists (something was ever migrated).
        var schemaRecorded: Bool
        /// Whether this role may read `schema_migrations` (true when it does not exist).
        var mayReadSchema: Bool
    }

    static func session(on connection: PostgresConnection, logger: Logger) async throws -> Session {
        let rows = try await connection.query("""
            SELECT current_user::text, r.rolsuper,
                   EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(application)),
                   to_regclass('schema_migrations') IS NOT NULL,
                   to_regclass('schema_migrations') IS NULL
                   OR has_table_privilege('schema_migrations', 'SELECT')
            FROM pg_roles r WHERE r.rolname = current_user
            """, logger: logger)
        for try await (user, superuser, exists, recorded, readable) in rows.decode((String, Bool, Bool, Bool, Bool).self) {
            return Session(user: user, isSuperuser: superuser, applicationRoleExists: exists, schemaRecorded: recorded,
                           mayReadSchema: readable)
        }
        throw StoreError.database("the connection's role is not in pg_roles")
    }

    /// Passwords that let the two roles log in (the embedded cluster keeps them); without
    /// them the roles are created without login, to be taken on by a superuser's
    /// connections (``DatabaseURL/role``).
    public struct Passwords: Sendable {
        public var owner: String
        public var application: String

        public init(owner: String, application: String) {
            self.owner = owner
            self.application = application
        }
    }

    /// As a superuser: creates the two roles unless they exist (setting the passwords
    /// when given), lets the owner create in this database, and hands it every object of
    /// the schema that the superuser owns (a database migrated before the roles existed).
    static func prepare(on connection: PostgresConnection, passwords: Passwords?, logger: Logger) async throws {
        for role in [owner, application] {
            // Two databases of one cluster may be migrated at once: a role created by the
            // other in between is taken as it is.
            try await connection.query(PostgresQuery(unsafeSQL: """
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '\(role)') THEN
                        CREATE ROLE \(role) NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
                    END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END
                $$
                """), logger: logger)
        }
        if let passwords {
            for (role, password) in [(owner, passwords.owner), (application, passwords.application)] {
                guard !password.isEmpty, password.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw StoreError.database("the password of \(role) must be letters and digits")
                }
                try await connection.query(PostgresQuery(unsafeSQL: "ALTER ROLE \(role) LOGIN PASSWORD '\(password)'"),
                                           logger: logger)
            }
        }
        try await connection.query(PostgresQuery(unsafeSQL: """
            DO $$
            DECLARE
                me oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
                item record;
            BEGIN
                EXECUTE format('GRANT CREATE ON DATABASE %I TO \(owner)', current_database());
                GRANT USAGE, CREATE ON SCHEMA public TO \(owner);
                FOR item IN
                    SELECT c.oid::regclass AS name,
                           CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                          WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relowner = me AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                      -- extension members stay the extension's; a column's sequence follows its table
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                        AND (d.deptype = 'e' OR (c.relkind = 'S' AND d.deptype IN ('a', 'i'))))
                LOOP
                    EXECUTE format('ALTER %s %s OWNER TO \(owner)', item.kind, item.name);
                END LOOP;
                FOR item IN
                    SELECT p.oid::regprocedure AS name
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.proowner = me
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                LOOP
                    EXECUTE format('ALTER ROUTINE %s OWNER TO \(owner)', item.name);
                END LOOP;
            END
            $$
            """), logger: logger)
    }

    /// Grants the application role what it may do (and nothing else) on the objects of
    /// this database; as the owner, or as a superuser acting as it.
    static func grantApplication(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT setaside_grant_application(\(application))", logger: logger)
    }
}
