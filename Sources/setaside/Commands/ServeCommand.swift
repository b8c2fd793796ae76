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

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1") }
        guard batchesInFlight >= 1 else { throw ValidationError("--batches-in-flight must be at least 1") }
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
    }

    func run() async throws {
        let url = try DatabaseLocator.resolve(workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
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
        let settings = ServerConfiguration(host: host, port: port, sealIntervalMilliseconds: sealInterval)
        let app = buildApplication(operations: operations, configuration: settings, logger: logger)
        try await app.runService()
    }
}
