import Logging
import SetasideCore
import SetasideStore

/// Every operation of setaside, for every edge: the command line, the HTTP API and the
/// web pages call these and nothing below them.
///
/// An operation checks who asks (`Caller`), decodes nothing (its inputs are typed
/// drafts from the core), lets the core decide and the store keep. Its errors are the
/// core's (`ImportError`), access refusals (`AccessError`) and the store's (`StoreError`,
/// which a database error becomes here, by its SQLSTATE).
public struct Operations: Sendable {
    let store: Store
    let authorizer: Authorizer
    /// Bearer token → account, for ten seconds; emptied at once when accounts or tokens
    /// change (`watchAccountChanges()`).
    let accounts: ExpiringCache<String, Account>
    /// Orders recorded without an idempotency key share statements (a group commit).
    let batcher: PurchaseBatcher
    /// Failed password logins per address, shared by the API and the pages.
    let throttle: LoginThrottle
    /// Compliance reports by scope, kept while `followReportChanges()` hears every change
    /// to what they are made of, and emptied by every write (see `Operations+ReportCache`).
    let reports: ExpiringCache<ReportScope, ComplianceReport>
    /// Tells the other servers when this process has written (see `ReportNotifier`).
    let notifier: ReportNotifier

    /// Operations on `store`. `batching` sets the group commit of purchases.
    public init(store: Store, batching: PurchaseBatching = PurchaseBatching()) {
        self.store = store
        self.authorizer = Authorizer(store: store, ancestries: ExpiringCache(lifetime: .seconds(60)))
        self.accounts = ExpiringCache(lifetime: .seconds(10))
        self.batcher = PurchaseBatcher(store: store, maxBatch: batching.maxBatch, maxInFlight: batching.inFlight)
        self.throttle = LoginThrottle()
        self.reports = ExpiringCache(lifetime: .seconds(300), capacity: 500, keeping: false)
        self.notifier = ReportNotifier(store: store, channel: Self.reportChannel)
    }

    /// Operations on a new pool of at most `maximumConnections` to `url`, which serves
    /// them while `runConnections()` runs (a server's lifetime).
    public init(url: DatabaseURL, maximumConnections: Int, logger: Logger, backgroundLogger: Logger,
                batching: PurchaseBatching = PurchaseBatching()) throws {
        self.init(store: try Store(url: url, maximumConnections: maximumConnections, logger: logger,
                                   backgroundLogger: backgroundLogger),
                  batching: batching)
    }

    /// Runs the database connections until the task is cancelled.
    public func runConnections() async {
        await store.run()
    }

    /// The logger the operations write to.
    public var logger: Logger { store.logger }

    /// Opens a pool on `url`, runs `body` with the operations on it, and closes the pool.
    /// Unless `migrating`, the schema must be current; with `sealing`, the audit entries
    /// written by `body` are chained before it returns.
    public static func with<Result: Sendable>(
        url: DatabaseURL, logger: Logger, migrating: Bool = false, sealing: Bool = false,
        _ body: @Sendable (Operations) async throws -> Result
    ) async throws -> Result {
        // Migrations run as the URL's role; everything else as the application role.
        let url = migrating ? url : try await applicationURL(for: url, logger: logger)
        return try await Store.withStore(url: url, logger: logger) { store in
            try await translatingErrors {
                if !migrating { try await Migrator(store: store).requireCurrent() }
                let operations = Operations(store: store)
                let result = try await body(operations)
                await operations.notifier.flush()
                if sealing { _ = try await AuditTrail(store: store).seal() }
                return result
            }
        }
    }

    /// The URL to open operations on for `url`: the same login, acting as the application
    /// role when it is a superuser's (see `Store.applicationURL(for:logger:)`).
    public static func applicationURL(for url: DatabaseURL, logger: Logger) async throws -> DatabaseURL {
        try await translatingErrors { try await Store.applicationURL(for: url, logger: logger) }
    }

    /// Runs `body`, turning a database error into the `StoreError` it means.
    static func translatingErrors<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw StoreError.wrapping(error) ?? error
        }
    }
}

/// How purchases recorded at the same moment share statements (see `PurchaseBatcher`).
public struct PurchaseBatching: Sendable {
    /// The most orders in one statement; 1 stores each alone.
    public var maxBatch: Int
    /// The most statements being written at once.
    public var inFlight: Int

    public init(maxBatch: Int = 256, inFlight: Int = 2) {
        precondition(maxBatch > 0 && inFlight > 0)
        self.maxBatch = maxBatch
        self.inFlight = inFlight
    }
}
