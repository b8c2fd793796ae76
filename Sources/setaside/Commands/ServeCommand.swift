import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SetasideEmbedded
import SetasideOperations
import SetasideServer
import SetasideStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API over the same database.",
        discussion: """
            JSON under /api/v1 (the OpenAPI document is at /api/v1/openapi.json), bearer \
            tokens from `setaside account token LOGIN`, errors as application/problem+json. \
            Stops gracefully on SIGINT or SIGTERM.

            Example: setaside serve --port 8080
            """)

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "Database connections in the pool.")
    var connections = 32

    @Option(help: ArgumentHelp("How often new audit entries are chained, in milliseconds.", valueName: "ms"))
    var sealInterval = 50

    @Option(help: ArgumentHelp("""
        The most purchases stored in one statement: purchases posted together without an \
        Idempotency-Key share a statement and a commit. 1 stores each one alone.
        """, valueName: "n"))
    var maxBatch = 256

    @Option(help: ArgumentHelp("How many of those statements run at once; more purchases wait for the next one.",
                               valueName: "n"))
    var batchesInFlight = 2

    @Option(help: ArgumentHelp("""
        The most client connections open at once; at the limit a new one takes the place of \
        the one idle longest. Kept below the process's open-file limit.
        """, valueName: "n"))
    var maxConnections = 1000

    @Option(help: ArgumentHelp("""
        Seconds a client has to send a request's headers after connecting, and that a body may \
        stall; past them the connection is closed without an answer.
        """, valueName: "s"))
    var requestTimeout = 30

    @Option(help: ArgumentHelp("Seconds a kept-alive connection may wait for its next request.", valueName: "s"))
    var idleTimeout = 30

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1") }
        guard batchesInFlight >= 1 else { throw ValidationError("--batches-in-flight must be at least 1") }
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard (1...3600).contains(requestTimeout) else { throw ValidationError("--request-timeout must be 1 to 3600 seconds") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be 1 to 3600 seconds") }
    }

    func run() async throws {
        let located = try DatabaseLocator.resolve(workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let url = try await Operations.applicationURL(for: located, logger: connection.logger)
        // The server's log is written by a background thread, so no request waits on it.
        let sink = LogSink()
        defer { sink.close() }
        var logger = Logger(label: "setaside") { BufferedLogHandler(label: $0, sink: sink) }
        logger.logLevel = min(connection.logLevel, .info)   // request logs are the point of a server log
        // The schema must be current before the server takes requests.
        try await Operations.with(url: url, logger: connection.logger) { _ in }
        var background = logger
        background.logLevel = connection.logLevel
        let operations = try Operations(url: url, maximumConnections: connections, logger: logger,
                                        backgroundLogger: background,
                                        batching: PurchaseBatching(maxBatch: maxBatch, inFlight: batchesInFlight))
        // Every client connection and database connection is an open file: the cap stays
        // below the limit, with room for the pool, the log and the rest.
        let descriptors = FileDescriptorLimit.raise()
        let cap = FileDescriptorLimit.connections(wanted: maxConnections, descriptors: descriptors, reserved: connections + 64)
        if cap < maxConnections {
            logger.warning("at most \(cap) connections: the process may open \(descriptors) files (ulimit -n)")
        }
        let limits = ConnectionLimits(maxConnections: cap, requestTimeout: .seconds(Int64(requestTimeout)),
                                      idleTimeout: .seconds(Int64(idleTimeout)))
        let settings = ServerConfiguration(host: host, port: port, sealIntervalMilliseconds: sealInterval, connections: limits)
        try await runApplication(operations: operations, configuration: settings, logger: logger)
    }
}
