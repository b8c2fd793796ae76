import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// Idempotency keys on the writes that are not plain orders, and on requests that
/// arrive together.
@Suite struct IdempotencyAPITests {
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    /// The order numbers of the reversals of `original` (unit A), in order.
    static func reversals(_ store: Store, of original: String) async throws -> [String] {
        try await store.client.query("""
            SELECT order_no FROM purchases WHERE credit_code = \(Fixtures.unitA) AND reversal_of = \(original) ORDER BY order_no
            """).collect().map { try $0.decode(String.self) }
    }

    @Test func aReversalSentAgainWithItsKeyIsReplayedNotStoredTwice() async throws {
        try await APIWorld.with { world, client, store in
            let p1 = world.ids["P1"]!
            let token = world.tokens["clerkA"]
            let path = "/api/v1/purchases/\(p1)/reversal"
            let body = #"{"amount": "100.00", "orderNo": "P1-R1", "orderDate": "2024-09-01"}"#
            let first = try await client.call(.post, path, token: token, body: body, headers: ["Idempotency-Key": "rev-1"])
            #expect(first.status == 201, "\(first.text)")
            #expect(first.headers[Self.replayed] == nil)
            #expect(first.object["amount"] as? String == "-100.00" && first.object["reversalOf"] as? String == "P1")
            // The same request with the same key: the first answer, word for word (a
            // repeat without the key would be 200, the order being stored already).
            let again = try await client.call(.post, path, token: token, body: body, headers: ["Idempotency-Key": "rev-1"])
            #expect(again.status == 201)
            #expect(again.text == first.text)
            #expect(again.headers[Self.replayed] == "true")
            #expect(try await Self.reversals(store, of: "P1") == ["P1-R1", "P8"])
            // Another reversal with that key, or the key on another route, is refused.
            let other = try await client.call(.post, path, token: token,
                                              body: #"{"amount": "100.00", "orderNo": "P1-R2", "orderDate": "2024-09-01"}"#,
                                              headers: ["Idempotency-Key": "rev-1"])
            #expect(other.status == 422)
            #expect(other.object["type"] as? String == "urn:setaside:problem:idempotency-key-reused")
            let elsewhere = try await client.call(.post, "/api/v1/purchases/\(world.ids["P2"]!)/reversal", token: token,
                                                  body: body, headers: ["Idempotency-Key": "rev-1"])
            #expect(elsewhere.status == 422)
            #expect(try await Self.reversals(store, of: "P1") == ["P1-R1", "P8"])
            #expect(try await Self.reversals(store, of: "P2").isEmpty)
            // Only 100.00 was taken back by the two requests: 8000 − 500 − 100 = 7400 is left.
            let rest = try await client.call(.post, path, token: token,
                                             body: #"{"amount": "7400.00", "orderNo": "P1-R3", "orderDate": "2024-09-02"}"#)
            #expect(rest.status == 201, "\(rest.text)")
            let more = try await client.call(.post, path, token: token,
                                             body: #"{"amount": "0.01", "orderNo": "P1-R4", "orderDate": "2024-09-02"}"#)
            #expect(more.status == 422)
            // A key is the account's own: another account may use the same key.
            let p2 = "/api/v1/purchases/\(world.ids["P2"]!)/reversal"
            let admin = try await client.call(.post, p2, token: world.tokens["admin"],
                                              body: #"{"amount": "1.00", "orderNo": "P2-R1", "orderDate": "2024-09-02"}"#,
                                              headers: ["Idempotency-Key": "rev-1"])
            #expect(admin.status == 201, "\(admin.text)")
            #expect(admin.headers[Self.replayed] == nil)
            #expect(try await Self.reversals(store, of: "P2") == ["P2-R1"])
        }
    }

    /// Sends `bodies` to `path` at once, all with the key `key`.
    static func atOnce(_ client: some TestClientProtocol, _ path: String, token: String?, key: String,
                       bodies: [String]) async throws -> [APIResponse] {
        try await withThrowingTaskGroup(of: APIResponse.self) { group in
            for body in bodies {
                group.addTask { try await client.call(.post, path, token: token, body: body, headers: ["Idempotency-Key": key]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func copiesOfOneRequestSentAtOnceWithOneKeyAreStoredOnce() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["clerkA"]
            let path = "/api/v1/units/\(Fixtures.unitA)/purchases"
            let responses = try await Self.atOnce(client, path, token: token, key: "same-key",
                                                  bodies: Array(repeating: APITests.purchase("K9"), count: 8))
            // One is the first answer, the seven others its replay: all 201 with one body.
            #expect(responses.map(\.status) == Array(repeating: 201, count: 8), "\(responses.map(\.text))")
            #expect(Set(responses.map(\.text)).count == 1)
            #expect(responses.filter { $0.headers[Self.replayed] == nil }.count == 1)
            #expect(responses.filter { $0.headers[Self.replayed] == "true" }.count == 7)
            #expect(try await ImportTests.count(store, "purchases") == 17)

            // The same for a reversal, which takes the unit's lock besides.
            let reversal = "/api/v1/purchases/\(world.ids["P7"]!)/reversal"
            let taken = try await Self.atOnce(client, reversal, token: token, key: "same-reversal", bodies: Array(
                repeating: #"{"amount": "1000.00", "orderNo": "P7-R", "orderDate": "2024-09-01"}"#, count: 8))
            #expect(taken.map(\.status) == Array(repeating: 201, count: 8), "\(taken.map(\.text))")
            #expect(Set(taken.map(\.text)).count == 1)
            #expect(taken.filter { $0.headers[Self.replayed] == nil }.count == 1)
            #expect(try await Self.reversals(store, of: "P7") == ["P7-R"])
            let keys = try await store.client.query("""
                SELECT key FROM idempotency_keys ORDER BY key
                """).collect().map { try $0.decode(String.self) }
            #expect(keys == ["same-key", "same-reversal"])
        }
    }

    @Test func twoDifferentRequestsSentAtOnceWithOneKeyStoreOnlyOne() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["clerkA"]
            let path = "/api/v1/units/\(Fixtures.unitA)/purchases"
            let responses = try await Self.atOnce(client, path, token: token, key: "one-key",
                                                  bodies: [APITests.purchase("D1"), APITests.purchase("D2")])
            #expect(responses.map(\.status).sorted() == [201, 422], "\(responses.map(\.text))")
            let refused = responses.first { $0.status == 422 }
            #expect(refused?.object["type"] as? String == "urn:setaside:problem:idempotency-key-reused")
            let stored = try #require(responses.first { $0.status == 201 }?.object["orderNo"] as? String)
            let orders = try await store.client.query("""
                SELECT order_no FROM purchases WHERE order_no IN ('D1', 'D2')
                """).collect().map { try $0.decode(String.self) }
            #expect(orders == [stored])
        }
    }
}
