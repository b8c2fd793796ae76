import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import SetasideCore
import SetasideStore

/// The router of the API and the services that must run beside it (the listener that
/// empties the account cache when accounts or tokens change); shared by
/// `setaside serve` and the tests.
public func buildAPI(store: Store, configuration: ServerConfiguration)
    -> (router: Router<AppRequestContext>, services: [any Service]) {
    let accounts = ExpiringCache<String, Account>(lifetime: .seconds(10))
    let router = buildRouter(store: store, configuration: configuration, accounts: accounts)
    // The dummy hash of unknown logins costs a bcrypt: made now, not on the first login.
    Task.detached(priority: .background) { _ = SessionController.unknownLoginHash }
    return (router, [AccountChangeListener(store: store, accounts: accounts)])
}

func buildRouter(store: Store, configuration: ServerConfiguration,
                 accounts: ExpiringCache<String, Account>) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AuthenticationMiddleware(store: store, accounts: accounts))
    router.get("healthz") { _, _ -> JSONResponse in
        try await store.client.query("SELECT 1")
        return JSONResponse("{\"status\": \"ok\"}")
    }
    let api = router.group("api/v1")
    api.get("openapi.json") { _, _ in JSONResponse(OpenAPIDocument.json) }
    let authorizer = Authorizer(store: store, ancestries: ExpiringCache(lifetime: .seconds(60)))
    SessionController(store: store, configuration: configuration, throttle: LoginThrottle()).addRoutes(to: api)
    RegistryController(store: store, authorizer: authorizer).addRoutes(to: api)
    PlanController(store: store, configuration: configuration, authorizer: authorizer).addRoutes(to: api)
    LedgerController(store: store, configuration: configuration, authorizer: authorizer,
                     batcher: PurchaseBatcher(store: store, maxBatch: configuration.maxPurchaseBatch,
                                              maxInFlight: configuration.purchaseBatchesInFlight)).addRoutes(to: api)
    InspectionController(store: store, configuration: configuration, authorizer: authorizer).addRoutes(to: api)
    return router
}

/// The application: the router, the database pool, the audit sealer and the account
/// change listener as services,
/// stopped gracefully on SIGINT or SIGTERM by `runService()`.
public func buildApplication(client: PostgresClient, configuration: ServerConfiguration, logger: Logger)
    -> some ApplicationProtocol {
    let store = Store(client: client, logger: logger)
    let sealer = AuditSealer(store: store, interval: .milliseconds(configuration.sealIntervalMilliseconds))
    let api = buildAPI(store: store, configuration: configuration)
    return Application(
        router: api.router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "setaside",
                             backlog: 1024),
        services: [client, sealer] + api.services,
        logger: logger)
}
