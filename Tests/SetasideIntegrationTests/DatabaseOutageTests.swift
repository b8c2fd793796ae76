import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import SetasideOperations
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// While the database does not answer, requests are 503 with Retry-After at once and a
/// request under way is cut off the same way, instead of waiting a minute on the pool;
/// once it answers again, requests are served. (scripts/probe-outage.sh stops a real
/// database under a running server.)
@Suite struct DatabaseOutageTests {
    @Test func requestsAre503AtOnceWhileTheDatabaseIsAwayAndServedWhenItIsBack() async throws {
        try await TestDatabase.withDatabase { url in
            let logger = TestDatabase.logger
            // One connection: a request waits for it while the test holds it.
            var configuration = try url.clientConfiguration()
            configuration.options.maximumConnections = 1
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let store = Store(client: client, logger: logger)
            let operations = Operations(store: store)
            let watch = DatabaseWatch(operations: operations)
            let router = buildRouter(operations: operations, configuration: ServerConfiguration(), watch: watch)
            let app = Application(router: router, services: [client], logger: logger)
            try await app.test(.router) { http in
                #expect(try await http.call(.get, "/healthz", token: nil).status == 200)
                // A login waiting for a connection (the test holds the only one) when the
                // database stops answering: cut off with 503, not left waiting.
                try await client.withConnection { _ in
                    async let login = http.call(.post, "/api/v1/session", token: nil,
                                                body: #"{"login": "zhou", "password": "a long test passphrase"}"#)
                    try await Task.sleep(for: .milliseconds(300))
                    let cutAt = ContinuousClock.now
                    watch.record(false)
                    let held = try await login
                    #expect(held.status == 503, "\(held.text)")
                    #expect(ContinuousClock.now - cutAt < .seconds(2))
                }
                // New requests: 503 at once, with Retry-After and a problem document.
                let health = try await http.call(.get, "/healthz", token: nil)
                #expect(health.status == 503)
                #expect(health.headers[.retryAfter] == "1")
                #expect(health.headers[.contentType] == "application/problem+json")
                #expect(try await http.call(.get, "/api/v1/units", token: "sa_x").status == 503)
                // The document needs no database.
                #expect(try await http.call(.get, "/api/v1/openapi.json", token: nil).status == 200)
                // Back.
                watch.record(true)
                #expect(try await http.call(.get, "/healthz", token: nil).status == 200)
            }
        }
    }

    @Test func theWatchFindsTheDatabaseAnswering() async throws {
        try await TestDatabase.withDatabase { url in
            let store = try Store(url: url, maximumConnections: 1, logger: TestDatabase.logger,
                                  backgroundLogger: TestDatabase.logger)
            #expect(await store.answers(within: .seconds(5)))
            await store.probe?.close()
            // A port nobody listens on: not answering, and said within the time asked.
            var away = url
            away.port = 1
            let gone = try Store(url: away, maximumConnections: 1, logger: TestDatabase.logger,
                                 backgroundLogger: TestDatabase.logger)
            let start = ContinuousClock.now
            #expect(await gone.answers(within: .milliseconds(500)) == false)
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }
}
