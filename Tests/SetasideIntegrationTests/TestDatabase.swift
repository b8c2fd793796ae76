import Foundation
import Logging
import PostgresNIO
import SetasideCore
@testable import SetasideStore
import Testing

/// A fresh, migrated database for each test, cloned from a template that is migrated
/// once per run. The server comes from SETASIDE_TEST_DATABASE_URL, which
/// `scripts/test.sh` sets after starting the embedded cluster.
enum TestDatabase {
    static let logger: Logger = {
        var logger = Logger(label: "setaside-tests")
        logger.logLevel = .error
        return logger
    }()

    static func adminURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["SETASIDE_TEST_DATABASE_URL"] else {
            Issue.record("SETASIDE_TEST_DATABASE_URL is not set: run the tests with scripts/test.sh")
            throw TestDatabaseError.notConfigured
        }
        return try DatabaseURL(parsing: text)
    }

    /// The template's name depends on the migrations' text, so a changed schema gets a new one.
    static var templateName: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for migration in Migration.all {
            for byte in (migration.name + migration.sql).utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        return "setaside_test_template_" + String(hash, radix: 16)
    }

    static let template = Task<String, any Error> {
        let server = try adminURL()
        let name = templateName
        let exists = try await Store.withStore(url: server, logger: logger) { store in
            try await store.client.query("SELECT 1 FROM pg_database WHERE datname = \(name)").collect().count == 1
        }
        if exists { return name }
        let building = name + "_building_\(ProcessInfo.processInfo.processIdentifier)"
        try await admin(server, "CREATE DATABASE \(building)")
        _ = try await Store.withStore(url: server.withDatabase(building), logger: logger) { store in
            try await Migrator(store: store).migrate()
        }
        try await admin(server, "ALTER DATABASE \(building) RENAME TO \(name)")
        return name
    }

    static func admin(_ url: DatabaseURL, _ sql: String) async throws {
        _ = try await Store.withStore(url: url, logger: logger) { store in
            try await store.client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// How many tests hold a database at once. Swift Testing starts every test at once,
    /// and each opens pools of its own: without a limit, the suite's connections grow
    /// with its number of tests, past the server's max_connections (100), and tests fail
    /// with "too many clients" or wait on a pool that cannot connect.
    static let gate = Gate(width: 10)

    /// Creates a fresh database, runs `body` with its URL, and drops it. The database
    /// is migrated unless `migrated` is false. Waits its turn at `gate` first.
    static func withDatabase(migrated: Bool = true, _ body: (DatabaseURL) async throws -> Void) async throws {
        let admin = try adminURL()
        let template = migrated ? try await template.value : "template0"
        await gate.enter()
        do {
            try await withGatedDatabase(admin: admin, template: template, body)
        } catch {
            await gate.leave()
            throw error
        }
        await gate.leave()
    }

    private static func withGatedDatabase(admin: DatabaseURL, template: String,
                                          _ body: (DatabaseURL) async throws -> Void) async throws {
        let name = "setaside_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await self.admin(admin, "CREATE DATABASE \(name) TEMPLATE \(template)")
        do {
            try await body(admin.withDatabase(name))
        } catch {
            try? await self.admin(admin, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
        try await self.admin(admin, "DROP DATABASE \(name) WITH (FORCE)")
    }

    /// Creates a fresh database and runs `body` with a store on it acting as `role`:
    /// the application role, as the server and the commands do, unless said otherwise
    /// (the owner, to reach the triggers that refuse even it; nil for the superuser).
    static func withStore(as role: String? = DatabaseRoles.application,
                          _ body: @escaping @Sendable (Store) async throws -> Void) async throws {
        try await withDatabase { url in
            try await Store.withStore(url: url.acting(as: role), logger: logger, body)
        }
    }

    /// Creates a fresh database and runs `body` with two stores on it: the application
    /// role's, and a superuser's (who can do what an attacker with psql would).
    static func withStores(_ body: @escaping @Sendable (_ application: Store, _ superuser: Store) async throws -> Void)
        async throws {
        try await withDatabase { url in
            try await Store.withStore(url: url.acting(as: DatabaseRoles.application), logger: logger) { application in
                try await Store.withStore(url: url, logger: logger) { superuser in
                    try await body(application, superuser)
                }
            }
        }
    }
}

/// A counting semaphore for async code: at most `width` holders at once, the others
/// served in the order they came.
actor Gate {
    let width: Int
    private var holders = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) { self.width = width }

    func enter() async {
        if holders < width {
            holders += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }   // the leaver hands over its place
    }

    func leave() {
        if waiting.isEmpty {
            holders -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

enum TestDatabaseError: Error {
    case notConfigured
}
