import Foundation
import HTTPTypes
import HummingbirdTesting
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// What an unfriendly client or a careless clerk sends (issue 10): NUL and other control
/// characters, text too long, look-alike order numbers. Each is a 422 naming the field,
/// nothing is stored, and the report's CSV does not hand a formula to a spreadsheet.
@Suite struct HostileInputAPITests {
    static func purchase(_ orderNo: String) -> String {
        "{\"orderNo\": \(JSONText.string(orderNo)), \"orderDate\": \"2024-06-01\", \"channel\": \"platform832\", "
            + "\"category\": \"canteenFood\", \"originCode\": \"140603\", \"amount\": \"10.00\"}"
    }

    @Test func controlCharactersInAQueryOrAPathAre422NamingTheParameter() async throws {
        try await APIWorld.with { world, client, _ in
            let token = world.tokens["clerkA"]
            for query in ["cursor=%00", "origin=%00", "year=20%0A24", "channel=a%7Fb"] {
                let response = try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)/purchases?\(query)", token: token)
                #expect(response.status == 422, "\(query): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
                let field = ((response.object["errors"] as? [[String: Any]])?.first?["field"] as? String)
                #expect(field == String(query.prefix { $0 != "=" }), "\(query): \(response.text)")
            }
            let path = try await client.call(.get, "/api/v1/units/ABC%00/purchases", token: token)
            #expect(path.status == 422, "\(path.text)")
            let units = try await client.call(.get, "/api/v1/units?cursor=" + String(repeating: "x", count: 300), token: token)
            #expect(units.status == 422, "\(units.text)")
        }
    }

    /// What schemathesis found: a parameter given twice or empty, a region or cursor that
    /// is not one, was read some way instead of refused.
    @Test func aParameterGivenTwiceEmptyOrMalformedIs422() async throws {
        try await APIWorld.with { world, client, _ in
            let token = world.tokens["admin"]
            for path in ["/api/v1/regions?under=140000&under=140600", "/api/v1/regions?under=", "/api/v1/regions?under=null",
                         "/api/v1/regions?under=%20140600", "/api/v1/units/\(Fixtures.unitA)/purchases?origin=null",
                         "/api/v1/units/\(Fixtures.unitA)/purchases?year=", "/api/v1/units?cursor=0",
                         "/api/v1/units?cursor=\(Fixtures.unitA.lowercased())"] {
                let response = try await client.call(.get, path, token: token)
                #expect(response.status == 422, "\(path): \(response.text)")
            }
            let good = try await client.call(.get, "/api/v1/regions?under=140600", token: token)
            #expect(good.status == 200, "\(good.text)")
            let page = try await client.call(.get, "/api/v1/units?cursor=\(Fixtures.unitA)", token: token)
            #expect(page.status == 200, "\(page.text)")
        }
    }

    @Test func aWholeNumberWrittenWithAFractionIsAWholeNumber() async throws {
        try await APIWorld.with { world, client, _ in
            let token = world.tokens["admin"]
            let body = #"{"region": "140000", "year": 2024.0, "size": 3.0, "seed": 42.0}"#
            let check = try await client.call(.post, "/api/v1/spot-checks", token: token, body: body)
            #expect(check.status == 201, "\(check.text)")
            #expect(check.object["seed"] as? String == "42")
            let fraction = try await client.call(.post, "/api/v1/spot-checks", token: token,
                                                 body: #"{"region": "140000", "year": 2024, "size": 3.5, "seed": 1}"#)
            #expect(fraction.status == 422, "\(fraction.text)")
            let huge = try await client.call(.post, "/api/v1/spot-checks", token: token,
                                             body: #"{"region": "140000", "year": 2024, "size": 3, "seed": 9007199254740993}"#)
            #expect(huge.status == 422, "\(huge.text)")
        }
    }

    @Test func lookAlikeOrControlCharactersInABodyAre422AndNothingIsStored() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["clerkA"]
            let before = try await ImportTests.count(store, "purchases")
            for orderNo in ["IMP28\u{0}", "IMP28\u{200B}", "IMP\u{202E}28", String(repeating: "8", count: 65)] {
                let response = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases", token: token,
                                                     body: Self.purchase(orderNo))
                #expect(response.status == 422, "\(orderNo.debugDescription): \(response.text)")
                let errors = (response.object["errors"] as? [[String: Any]]) ?? []
                #expect(errors.first?["field"] as? String == "orderNo", "\(response.text)")
            }
            #expect(try await ImportTests.count(store, "purchases") == before)
            // The same order written with a combining accent and precomposed is one order.
            let first = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases", token: token,
                                              body: Self.purchase("IMP-e\u{301}"))
            #expect(first.status == 201, "\(first.text)")
            let second = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases", token: token,
                                               body: Self.purchase("IMP-\u{E9}"))
            #expect(second.status == 200 || second.status == 201, "\(second.text)")
            #expect(try await ImportTests.count(store, "purchases") == before + 1)
        }
    }
}

/// The smaller points of issue 10: 405 for a method a path does not have, and an OpenAPI
/// document that says which parameters are required and their limits.
@Suite struct MethodAndDocumentTests {
    @Test func aMethodAPathDoesNotHaveIs405WithAllow() async throws {
        try await APIWorld.with { world, client, _ in
            let token = world.tokens["clerkA"]
            for (method, path) in [(HTTPRequest.Method.trace, "/api/v1/units"), (.delete, "/api/v1/units"),
                                   (.put, "/api/v1/purchases/1"), (.trace, "/healthz")] {
                let response = try await client.call(method, path, token: token)
                #expect(response.status == 405, "\(method) \(path): \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.allow]?.isEmpty == false)
            }
            let allow = try await client.call(.trace, "/api/v1/session", token: nil).headers[.allow]
            #expect(allow == "POST, DELETE")
            // A path the API does not have at all is still 404.
            #expect(try await client.call(.trace, "/api/v1/nothing", token: token).status == 404)
        }
    }

    @Test func theDocumentSaysWhichParametersAreRequiredAndTheirLimits() async throws {
        try await APIWorld.with { _, client, _ in
            let document = try await client.call(.get, "/api/v1/openapi.json", token: nil).object
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            func parameter(_ path: String, _ name: String) -> [String: Any]? {
                let get = paths[path]?["get"] as? [String: Any]
                return (get?["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == name }
            }
            let year = try #require(parameter("/api/v1/units/{creditCode}/compliance", "year"))
            #expect(year["required"] as? Bool == true)
            #expect((year["schema"] as? [String: Any])?["minimum"] as? Int == 2000)
            let limit = try #require(parameter("/api/v1/units", "limit"))
            #expect(limit["required"] as? Bool == false)
            #expect((limit["schema"] as? [String: Any])?["maximum"] as? Int == 1000)
            let channel = try #require(parameter("/api/v1/units/{creditCode}/purchases", "channel"))
            #expect(((channel["schema"] as? [String: Any])?["enum"] as? [String])?.contains("platform832") == true)
        }
    }
}
