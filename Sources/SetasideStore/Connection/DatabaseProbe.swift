import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Whether the database answers, asked on a connection of its own: not one of the pool,
/// whose waits and back-offs while the database is away are what must not stall the
/// answer. The connection is kept while the database answers and opened again when not.
public actor DatabaseProbe {
    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private var connection: PostgresConnection?

    public init(url: DatabaseURL, logger: Logger) throws {
        self.configuration = try url.connectionConfiguration()
        self.logger = logger
    }

    /// Whether `SELECT 1` is answered within `timeout`, connecting first if need be.
    public func check(timeout: Duration) async -> Bool {
        let answered = await Self.within(timeout) { [self] in try await self.ask(timeout: timeout) }
        if !answered, let connection {
            self.connection = nil
            try? await connection.close()
        }
        return answered
    }

    /// Closes the connection.
    public func close() async {
        if let connection { try? await connection.close() }
        connection = nil
    }

    private func ask(timeout: Duration) async throws {
        if connection == nil || connection?.isClosed == true {
            var configuration = self.configuration
            configuration.options.connectTimeout = .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
                                                                 + timeout.components.attoseconds / 1_000_000_000)
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 0, logger: logger).get()
        }
        _ = try await connection?.query("SELECT 1", logger: logger).collect()
    }

    /// Whether `body` ends without an error within `timeout` (it is cancelled then).
    static func within(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await body()) != nil }
            group.addTask { try? await Task.sleep(for: timeout); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

extension DatabaseURL {
    /// The settings of one connection (not a pool) to this URL.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch tlsSettings() {
        case nil: .disable
        case let (settings, required)?:
            required ? .require(try NIOSSLContext(configuration: settings)) : .prefer(try NIOSSLContext(configuration: settings))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: tls)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }
}
