import Hummingbird
import Logging
import ServiceLifecycle
import SetasideCore
import SetasideOperations

/// The router of the API and the services that must run beside it (the listeners that
/// empty the account cache when accounts or tokens change and the report cache when a
/// report's inputs change, the database watch); shared by
/// `setaside serve` and the tests.
public func buildAPI(operations: Operations, configuration: ServerConfiguration)
    -> (router: Router<AppRequestContext>, services: [any Service]) {
    let watch = DatabaseWatch(operations: operations)
    let router = buildRouter(operations: operations, configuration: configuration, watch: watch)
    // The dummy hash of unknown logins costs a bcrypt: made now, not on the first login.
    Operations.prepareLogins()
    return (router, [ChangeListener.accounts(operations), ChangeListener.reports(operations), watch])
}

func buildRouter(operations: Operations, configuration: ServerConfiguration, watch: DatabaseWatch) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: DatabaseGateMiddleware(watch: watch))
    router.add(middleware: MethodNotAllowedMiddleware())
    router.add(middleware: QueryTextMiddleware())
    router.get("healthz") { _, _ -> JSONResponse in
        try await operations.checkDatabase()
        return JSONResponse("{\"status\": \"ok\"}")
    }
    let api = router.group("api/v1")
    api.get("openapi.json") { _, _ in JSONResponse(OpenAPIDocument.json) }
    SessionController(operations: operations, configuration: configuration).addRoutes(to: api)
    // Every other route needs a bearer token.
    let protected = api.group()
        .add(middleware: BearerAuthenticator(operations: operations))
        .add(middleware: RequireAccountMiddleware())
    RegistryController(operations: operations).addRoutes(to: protected)
    PlanController(operations: operations, configuration: configuration).addRoutes(to: protected)
    LedgerController(operations: operations, configuration: configuration).addRoutes(to: protected)
    InspectionController(operations: operations, configuration: configuration).addRoutes(to: protected)
    // The web pages: a session cookie instead of a bearer token.
    PageController(operations: operations, configuration: configuration).addRoutes(to: router)
    return router
}

/// The application: the router, the database pool, the audit sealer and the account
/// change listener as services, stopped gracefully on SIGINT or SIGTERM by `runService()`.
public func buildApplication(operations: Operations, configuration: ServerConfiguration, logger: Logger)
    -> some ApplicationProtocol {
    let sealer = AuditSealer(operations: operations, interval: .milliseconds(configuration.sealIntervalMilliseconds))
    let api = buildAPI(operations: operations, configuration: configuration)
    return Application(
        router: api.router,
        server: .guardedHTTP1(configuration.connections),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "setaside",
                             backlog: 1024),
        services: [DatabasePool(operations: operations), sealer] + api.services,
        logger: logger)
}

/// Runs the application until SIGINT or SIGTERM, then stops it gracefully: requests under
/// way get `configuration.shutdownGrace` to finish, then everything still running is
/// cancelled, and whatever ignores that is ended three seconds later. A server whose
/// database has gone away still stops within seconds.
public func runApplication(operations: Operations, configuration: ServerConfiguration, logger: Logger) async throws {
    let app = buildApplication(operations: operations, configuration: configuration, logger: logger)
    var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint],
                                          cancellationSignals: [], logger: logger)
    group.maximumGracefulShutdownDuration = configuration.shutdownGrace
    group.maximumCancellationDuration = .seconds(3)
    try await ServiceGroup(configuration: group).run()
}

/// Runs the operations' database connections as a service of the application: the
/// last to stop, once the requests are answered.
struct DatabasePool: Service {
    let operations: Operations

    func run() async throws {
        await cancelWhenGracefulShutdown { await operations.runConnections() }
    }
}
