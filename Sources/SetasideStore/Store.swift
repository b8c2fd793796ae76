import Logging
import PostgresNIO

/// The PostgreSQL store: every SQL statement of setaside lives in this module.
///
/// A `Store` is used inside `Store.withStore(url:logger:_:)`, which runs the
/// connection pool for the closure's lifetime.
public struct Store: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// Asks whether the database answers on a connection of its own (none for a store
    /// made on a client: `answers` asks the pool then).
    public let probe: DatabaseProbe?
    /// How long a reversal waits for its order while another write (an import that
    /// reverses it too) holds it, before it gives up with `StoreError.busy`.
    public var reversalLockTimeout: Duration = .seconds(5)

    /// A store on a client whose `run()` the caller runs (e.g. as a service of the server).
    public init(client: PostgresClient, logger: Logger, probe: DatabaseProbe? = nil) {
        self.client = client
        self.logger = logger
        self.probe = probe
    }

    /// A store on a new pool of at most `maximumConnections` to `url`; it serves queries
    /// while `run()` runs. `backgroundLogger` gets the pool's own messages.
    public init(url: DatabaseURL, maximumConnections: Int, logger: Logger, backgroundLogger: Logger) throws {
        var configuration = try url.clientConfiguration()
        configuration.options.maximumConnections = maximumConnections
        self.init(client: PostgresClient(configuration: configuration, backgroundLogger: backgroundLogger), logger: logger,
                  probe: try DatabaseProbe(url: url, logger: backgroundLogger))
    }

    /// Runs the connection pool until the task is cancelled; returns at most two seconds
    /// after that even if the pool has not closed (see `PoolRunner`).
    public func run() async {
        await PoolRunner.run(client)
    }

    /// Whether the database answers: throws when it does not.
    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    /// Whether the database answers within `timeout`, asked by the probe (or the pool).
    public func answers(within timeout: Duration) async -> Bool {
        if let probe { return await probe.check(timeout: timeout) }
        return await DatabaseProbe.within(timeout) { [self] in try await self.ping() }
    }

    /// Listens on `channel` (NOTIFY) on one connection of the pool, and calls `onNotice`
    /// once when listening has begun (notices may have been missed before) and once per
    /// notice, until the task is cancelled or the connection fails (then it throws).
    public func listen(on channel: String, _ onNotice: @Sendable () async -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notices in
                await onNotice()
                for try await _ in notices { await onNotice() }
            }
        }
    }

    /// Sends a notice on `channel` (NOTIFY) with an empty payload, in a transaction of
    /// its own.
    public func notify(_ channel: String) async throws {
        try await client.query("SELECT pg_notify(\(channel), '')", logger: logger)
    }

    /// One transaction of the store's, as the layer above holds it: it can pass it to the
    /// store's functions that take one, and do nothing else with it.
    public struct Transaction: Sendable {
        let connection: PostgresConnection
    }

    /// `transaction(_:)` for the layer above: `body` gets the transaction to pass on.
    public func inTransaction<Result: Sendable>(_ body: (Transaction) async throws -> Result) async throws -> Result {
        try await transaction { try await body(Transaction(connection: $0)) }
    }

    /// Opens a connection pool to `url`, runs `body`, and closes the pool.
    public static func withStore<Result: Sendable>(
        url: DatabaseURL, logger: Logger, _ body: @Sendable (Store) async throws -> Result
    ) async throws -> Result {
        // The pool warns when a query races the start of `run()`; the query just waits, so
        // keep that out of ordinary output.
        var background = logger
        if background.logLevel > .debug { background.logLevel = .error }
        let client = PostgresClient(configuration: try url.clientConfiguration(), backgroundLogger: background)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await PoolRunner.run(client) }
            defer { group.cancelAll() }
            let store = Store(client: client, logger: logger)
            // Fail fast with a clear message when the server is not there.
            do {
                try await client.query("SELECT 1", logger: logger)
            } catch {
                throw StoreError.unreachable(url.redacted, StoreError.describe(error))
            }
            do {
                return try await body(store)
            } catch let error as PSQLError {
                throw StoreError.database(StoreError.describe(error))
            }
        }
    }

    /// Runs `body` in one transaction on one connection: committed when it returns,
    /// rolled back when it throws (the error is rethrown as thrown, not wrapped).
    public func transaction<Result: Sendable>(
        readOnlySnapshot: Bool = false,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            // A report reads several queries from one snapshot, so a write that commits
            // meanwhile cannot mix two states of the ledger.
            try await connection.query(readOnlySnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN",
                                       logger: logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                // A session the server ended (or a connection lost) has no transaction left
                // to roll back, and a query sent on its closing channel can wait for ever
                // (PostgresNIO 1.33: the suite's stalls, one run in four of a test that ends
                // its own session): no ROLLBACK then.
                if case .connectionLost? = StoreError.wrapping(error) { throw error }
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }
}
