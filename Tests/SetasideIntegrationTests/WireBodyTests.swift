import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SetasideCore
@testable import SetasideServer
import Testing

/// The request bodies the OpenAPI document describes are the ones the routes read: an
/// empty body is refused naming exactly the required fields, and a field the document
/// does not list is refused as unknown.
@Suite struct WireBodyTests {
    @Test func everyRouteRequiresWhatItsDocumentedBodyRequires() async throws {
        try await APIWorld.with { world, client, _ in
            let a = Fixtures.unitA, p1 = world.ids["P1"]!
            let routes: [(HTTPRequest.Method, String, WireBody)] = [
                (.post, "/api/v1/session", .login),
                (.put, "/api/v1/units/\(a)/declarations/2025", .declaration),
                (.post, "/api/v1/units/\(a)/declarations/2025/return", .declarationReturn),
                (.post, "/api/v1/units/\(a)/assignments", .assignment),
                (.post, "/api/v1/units/\(a)/agreements", .agreement),
                (.post, "/api/v1/units/\(a)/purchases", .purchase),
                (.post, "/api/v1/purchases/\(p1)/reversal", .reversal),
                (.post, "/api/v1/purchases/\(p1)/status", .statusChange),
                (.post, "/api/v1/purchases/\(p1)/findings", .finding),
                (.post, "/api/v1/spot-checks", .spotCheck),
            ]
            #expect(routes.count == WireBody.all.count)
            let document = try await client.call(.get, "/api/v1/openapi.json", token: nil).object
            let schemas = ((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]]) ?? [:]
            for (method, path, wire) in routes {
                let empty = try await client.call(method, path, token: world.tokens["admin"], body: "{}")
                #expect(empty.status == 422, "\(path)")
                let named = Set(((empty.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
                let required = Set((schemas[wire.name]?["required"] as? [String]) ?? [])
                #expect(!required.isEmpty && named == required, "\(method) \(path): refused \(named), documented \(required)")
                let properties = Set(((schemas[wire.name]?["properties"] as? [String: Any]) ?? [:]).keys)
                #expect(properties == wire.allowed, "\(wire.name)")
                let unknown = try await client.call(method, path, token: world.tokens["admin"], body: #"{"surplus": 1}"#)
                let unknownFields = ((unknown.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
                #expect(unknown.status == 422 && unknownFields.contains("surplus"), "\(path)")
            }
        }
    }

    @Test func theDocumentListsTheStatusesEachRouteCanAnswer() async throws {
        try await APIWorld.with { world, client, _ in
            let document = try await client.call(.get, "/api/v1/openapi.json", token: nil).object
            let paths = (document["paths"] as? [String: [String: [String: Any]]]) ?? [:]
            func statuses(_ method: String, _ path: String) -> Set<String> {
                Set(((paths[path]?[method]?["responses"] as? [String: Any]) ?? [:]).keys)
            }
            #expect(statuses("post", "/api/v1/session").contains("429"))
            #expect(paths.filter { $0.key != "/api/v1/session" }.allSatisfy { _, operations in
                operations.values.allSatisfy { !(($0["responses"] as? [String: Any]) ?? [:]).keys.contains("429") }
            })
            #expect(statuses("post", "/api/v1/units/{creditCode}/purchases").isSuperset(of: ["201", "401", "403", "409", "422", "503"]))
            #expect(!statuses("get", "/api/v1/units").contains("403"))
            #expect(statuses("get", "/healthz") == ["200", "503"])
            // What the document says a clerk gets for another unit, the route answers.
            let refused = try await client.call(.get, "/api/v1/units/\(Fixtures.unitB)/purchases", token: world.tokens["clerkA"])
            #expect(statuses("get", "/api/v1/units/{creditCode}/purchases").contains(String(refused.status)))
        }
    }
}
