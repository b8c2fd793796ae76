import Logging
import NIOPosix
import PostgresNIO

extension Store {
    /// The URL the server and the commands use for `url`: `url` itself, unless it logs in
    /// as a superuser; then the same login acting as the application role, so that no
    /// statement of theirs runs with a superuser's rights (one URL serves every command).
    ///
    /// - Throws: `StoreError.unreachable` when the database cannot be reached;
    ///   `StoreError.noApplicationRole` for a superuser when the role is not created yet.
    public static func applicationURL(for url: DatabaseURL, logger: Logger) async throws -> DatabaseURL {
        if url.role != nil { return url }
        let session = try await withConnection(to: url, logger: logger) { connection in
            try await DatabaseRoles.session(on: connection, logger: logger)
        }
        guard session.isSuperuser else { return url }
        guard session.applicationRoleExists else { throw StoreError.noApplicationRole(DatabaseRoles.application) }
        return url.acting(as: DatabaseRoles.application)
    }

    /// As a superuser at `url`: creates the owner and application roles unless they exist,
    /// with `passwords` to log in, and gives the owner this database's objects (see
    /// `DatabaseRoles.prepare`). Run once per start by the embedded cluster.
    public static func prepareRoles(at url: DatabaseURL, passwords: DatabaseRoles.Passwords, logger: Logger) async throws {
        try await withStore(url: url, logger: logger) { store in
            try await store.transaction { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(4227100001)", logger: logger)
                try await DatabaseRoles.prepare(on: connection, passwords: passwords, logger: logger)
            }
        }
    }

    /// Runs `body` on one connection of its own to `url` (not a pool), then closes it.
    static func withConnection<Result: Sendable>(
        to url: DatabaseURL, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: url.connectionConfiguration(),
                id: 0, logger: logger).get()
        } catch {
            throw StoreError.unreachable(url.redacted, StoreError.describe(error))
        }
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
