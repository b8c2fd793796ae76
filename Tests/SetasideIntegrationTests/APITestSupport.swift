import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import SetasideCore
@testable import SetasideServer
@testable import SetasideOperations
@testable import SetasideStore
import Synchronization
import Testing

/// A running API over a fresh database with the fixtures, and a token per role.
struct APIWorld {
    var tokens: [String: String] = [:]
    var ids: [String: Int64] = [:]

    /// Logins: clerkA (unit A), clerkB (unit B), inspectorShanxi (140000: units A and C),
    /// inspectorYuxi (530400: unit B), admin.
    static func with(logger: Logger = TestDatabase.logger,
                     _ body: @escaping @Sendable (APIWorld, any TestClientProtocol, Store) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { url in
            let client = PostgresClient(configuration: try url.clientConfiguration(), backgroundLogger: logger)
            let store = Store(client: client, logger: logger)
            let api = buildAPI(operations: Operations(store: store), configuration: ServerConfiguration())
            let app = Application(router: api.router, services: [client] + api.services, logger: logger)
            try await app.test(.router) { testClient in
                var world = APIWorld()
                _ = try await ImportTests.load(store)
                let accounts: [(String, Role, [String], String?)] = [
                    ("clerkA", .clerk, [Fixtures.unitA], nil), ("clerkB", .clerk, [Fixtures.unitB], nil),
                    ("inspectorShanxi", .inspector, [], "140000"), ("inspectorYuxi", .inspector, [], "530400"),
                    ("admin", .admin, [], nil),
                ]
                for (login, role, units, region) in accounts {
                    _ = try await store.addAccount(login: login, role: role, units: units, region: region,
                                                   passwordHash: "$2b$04$abcdefghijklmnopqrstuu", actor: "cli:tests")
                    world.tokens[login] = try await store.issueToken(login: login, actor: "cli:tests")
                }
                let rows = try await store.client.query("SELECT order_no, id FROM purchases")
                for try await (order, id) in rows.decode((String, Int64).self) { world.ids[order] = id }
                try await body(world, testClient, store)
            }
        }
    }
}

/// A response, with its body as JSON when it is JSON.
struct APIResponse {
    var status: Int
    var headers: HTTPFields
    var text: String
    /// The body's bytes (a workbook, a zip).
    var bytes: [UInt8] = []
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
    var object: [String: Any] { (json as? [String: Any]) ?? [:] }
}

extension TestClientProtocol {
    /// The status of GET `path` once the server has taken in a change of accounts (a
    /// notice, delivered within milliseconds): 401 as soon as the token is refused, or
    /// the last status after five seconds (the cache alone would keep it ten).
    func refusal(of path: String, token: String?) async throws -> Int {
        var status = 0
        for _ in 0..<100 {
            status = try await call(.get, path, token: token).status
            if status == 401 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return status
    }

    func call(_ method: HTTPRequest.Method, _ path: String, token: String?, body: String? = nil,
              headers extra: [String: String] = [:]) async throws -> APIResponse {
        try await call(method, path, token: token, bytes: body.map { Array($0.utf8) }, headers: extra)
    }

    /// The same with a body of any bytes (a file in another encoding).
    func call(_ method: HTTPRequest.Method, _ path: String, token: String?, bytes: [UInt8]?,
              headers extra: [String: String] = [:]) async throws -> APIResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        if bytes != nil { headers[.contentType] = "application/json" }
        for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
        return try await execute(uri: path, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) }) { response in
            APIResponse(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body),
                        bytes: Array(buffer: response.body))
        }
    }
}

/// A log handler that keeps every line, for tests that read what was logged.
struct CapturedLog: LogHandler {
    struct Line: Sendable {
        var message: String
        var metadata: Logger.Metadata
    }

    final class Lines: Sendable {
        let lines = Mutex<[Line]>([])
        var all: [Line] { lines.withLock { $0 } }
    }

    let sink: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        let merged = metadata.merging(extra ?? [:]) { _, new in new }
        sink.lines.withLock { $0.append(Line(message: message.description, metadata: merged)) }
    }

    /// A logger writing into `sink`.
    static func logger(into sink: Lines) -> Logger {
        Logger(label: "captured") { _ in CapturedLog(sink: sink) }
    }
}
