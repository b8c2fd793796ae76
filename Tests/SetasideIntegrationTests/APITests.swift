import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SetasideCore
@testable import SetasideServer
@testable import SetasideOperations
@testable import SetasideStore
import Testing

@Suite struct APITests {
    static func purchase(_ orderNo: String, amount: String = "\"100.00\"") -> String {
        """
        {"orderNo": "\(orderNo)", "orderDate": "2024-07-01", "channel": "platform832", "category": "canteenFood",
         "originCode": "140603", "amount": \(amount), "status": "completed", "festival": null, "reversalOf": null}
        """
    }

    @Test func theAccessMatrix() async throws {
        try await APIWorld.with { world, client, _ in
            let a = Fixtures.unitA, b = Fixtures.unitB
            let p1 = world.ids["P1"]!
            // (who, method, path, body, expected status)
            let cases: [(String?, HTTPRequest.Method, String, String?, Int)] = [
                (nil, .get, "/api/v1/units/\(a)", nil, 401),
                ("bogus", .get, "/api/v1/units/\(a)", nil, 401),
                ("clerkA", .get, "/api/v1/units/\(a)", nil, 200),
                ("clerkB", .get, "/api/v1/units/\(a)", nil, 403),
                ("inspectorShanxi", .get, "/api/v1/units/\(a)", nil, 200),
                ("inspectorYuxi", .get, "/api/v1/units/\(a)", nil, 403),
                ("admin", .get, "/api/v1/units/\(a)", nil, 200),
                // A clerk reaching for another unit's purchase by id.
                ("clerkA", .get, "/api/v1/purchases/\(p1)", nil, 200),
                ("clerkB", .get, "/api/v1/purchases/\(p1)", nil, 404),
                ("inspectorYuxi", .get, "/api/v1/purchases/\(p1)", nil, 404),
                ("inspectorShanxi", .get, "/api/v1/purchases/\(p1)", nil, 200),
                ("clerkB", .get, "/api/v1/units/\(a)/purchases", nil, 403),
                ("clerkA", .post, "/api/v1/units/\(a)/purchases", Self.purchase("M1"), 201),
                ("clerkB", .post, "/api/v1/units/\(a)/purchases", Self.purchase("M2"), 403),
                ("inspectorShanxi", .post, "/api/v1/units/\(a)/purchases", Self.purchase("M3"), 403),
                ("admin", .post, "/api/v1/units/\(a)/purchases", Self.purchase("M4"), 201),
                ("clerkB", .post, "/api/v1/purchases/\(p1)/reversal", #"{"amount": "1.00", "orderNo": "R9", "orderDate": "2024-08-01"}"#, 404),
                ("inspectorShanxi", .post, "/api/v1/purchases/\(p1)/reversal", #"{"amount": "1.00", "orderNo": "R9", "orderDate": "2024-08-01"}"#, 403),
                ("clerkA", .put, "/api/v1/units/\(a)/declarations/2025", #"{"canteenFoodTotal": "1000.00", "reservedAmount": "100.00", "unionWelfareBudget": "0"}"#, 201),
                ("clerkB", .put, "/api/v1/units/\(a)/declarations/2025", #"{"canteenFoodTotal": "1000.00", "reservedAmount": "100.00", "unionWelfareBudget": "0"}"#, 403),
                ("inspectorShanxi", .put, "/api/v1/units/\(a)/declarations/2025", #"{"canteenFoodTotal": "1.00", "reservedAmount": "0", "unionWelfareBudget": "0"}"#, 403),
                ("clerkB", .get, "/api/v1/units/\(a)/declarations/2024", nil, 403),
                ("inspectorShanxi", .get, "/api/v1/units/\(a)/declarations/2024", nil, 200),
                ("clerkA", .post, "/api/v1/units/\(a)/assignments", #"{"villageCode": "140603001202", "yearFrom": 2024, "yearTo": 2025}"#, 403),
                ("inspectorShanxi", .post, "/api/v1/units/\(a)/agreements", #"{"villageCode": "140603001202", "validFrom": "2024-01-01", "validTo": "2024-12-31"}"#, 403),
                ("admin", .post, "/api/v1/units/\(a)/assignments", #"{"villageCode": "140603001202", "yearFrom": 2024, "yearTo": 2025}"#, 201),
                ("clerkA", .get, "/api/v1/units/\(a)/assignments", nil, 200),
                ("clerkA", .post, "/api/v1/purchases/\(p1)/findings", #"{"verdict": "accept"}"#, 403),
                ("inspectorYuxi", .post, "/api/v1/purchases/\(p1)/findings", #"{"verdict": "note", "reason": "x"}"#, 404),
                ("inspectorShanxi", .post, "/api/v1/purchases/\(p1)/findings", #"{"verdict": "note", "reason": "seen"}"#, 201),
                ("clerkA", .get, "/api/v1/units/\(a)/compliance?year=2024", nil, 200),
                ("clerkB", .get, "/api/v1/units/\(a)/compliance?year=2024", nil, 403),
                ("clerkA", .get, "/api/v1/regions/140000/compliance?year=2024", nil, 403),
                ("inspectorYuxi", .get, "/api/v1/regions/140000/compliance?year=2024", nil, 403),
                ("inspectorShanxi", .get, "/api/v1/regions/140603/compliance?year=2024", nil, 200),
                ("admin", .get, "/api/v1/regions/530000/compliance?year=2024", nil, 200),
                ("clerkA", .post, "/api/v1/spot-checks", #"{"region": "140000", "year": 2024, "size": 3, "seed": "s"}"#, 403),
                ("inspectorYuxi", .post, "/api/v1/spot-checks", #"{"region": "140000", "year": 2024, "size": 3, "seed": "s"}"#, 403),
                ("inspectorShanxi", .post, "/api/v1/spot-checks", #"{"region": "140000", "year": 2024, "size": 3, "seed": "s"}"#, 201),
                ("clerkA", .get, "/api/v1/regions", nil, 200),
                ("clerkA", .get, "/api/v1/policies", nil, 200),
                (nil, .get, "/healthz", nil, 200),
                (nil, .get, "/api/v1/openapi.json", nil, 200),
            ]
            for (who, method, path, body, expected) in cases {
                let token = who.map { world.tokens[$0] ?? "sa_unknown" }
                let response = try await client.call(method, path, token: token, body: body)
                #expect(response.status == expected, "\(who ?? "anonymous") \(method) \(path): \(response.text)")
                if response.status >= 400 {
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
                // A refusal of a purchase reached by id does not tell whose purchase it is.
                if response.status == 403 || response.status == 404, path.hasPrefix("/api/v1/purchases/") {
                    #expect(!response.text.contains(a), "\(path): \(response.text)")
                }
            }
            // Another unit's purchase and an id that does not exist get the same answer:
            // which ids are taken is not told.
            let others = try await client.call(.get, "/api/v1/purchases/\(p1)", token: world.tokens["clerkB"])
            let missing = try await client.call(.get, "/api/v1/purchases/\(p1 + 1_000_000)", token: world.tokens["clerkB"])
            #expect(others.status == missing.status)
            #expect((others.object["detail"] as? String)?.replacingOccurrences(of: "\(p1)", with: "N")
                    == (missing.object["detail"] as? String)?.replacingOccurrences(of: "\(p1 + 1_000_000)", with: "N"))
            // Lists show only what the account may read.
            let clerkUnits = try await client.call(.get, "/api/v1/units", token: world.tokens["clerkA"])
            #expect((clerkUnits.object["items"] as? [[String: Any]])?.compactMap { $0["creditCode"] as? String } == [a])
            let inspectorUnits = try await client.call(.get, "/api/v1/units", token: world.tokens["inspectorYuxi"])
            #expect((inspectorUnits.object["items"] as? [[String: Any]])?.compactMap { $0["creditCode"] as? String } == [b])
        }
    }

    @Test func badRequestsAreProblemDocumentsNamingTheField() async throws {
        try await APIWorld.with { world, client, _ in
            let path = "/api/v1/units/\(Fixtures.unitA)/purchases"
            let token = world.tokens["clerkA"]
            let malformed = try await client.call(.post, path, token: token, body: "{\"orderNo\": ")
            #expect(malformed.status == 400)
            #expect(malformed.object["type"] as? String == "urn:setaside:problem:malformed")

            func fields(_ response: APIResponse) -> [String] {
                ((response.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }.sorted()
            }
            let unknown = try await client.call(.post, path, token: token,
                                                body: Self.purchase("U1").replacingOccurrences(of: "\"status\"", with: "\"colour\""))
            #expect(unknown.status == 422)
            #expect(fields(unknown) == ["colour"])
            let number = try await client.call(.post, path, token: token, body: Self.purchase("U2", amount: "12.5"))
            #expect(number.status == 422 && fields(number) == ["amount"])
            let decimals = try await client.call(.post, path, token: token, body: Self.purchase("U3", amount: "\"12.345\""))
            #expect(decimals.status == 422 && fields(decimals) == ["amount"])
            // Int64.max fen fits a bigint but is beyond the largest accepted amount: refused
            // here, so no report can overflow on it later.
            let enormous = try await client.call(.post, path, token: token,
                                                 body: Self.purchase("U6", amount: "\"92233720368547758.07\""))
            #expect(enormous.status == 422 && fields(enormous) == ["amount"])
            let date = try await client.call(.post, path, token: token,
                                             body: Self.purchase("U4").replacingOccurrences(of: "2024-07-01", with: "2024-02-30"))
            #expect(date.status == 422 && fields(date) == ["orderDate"])
            #expect(date.object["status"] as? Int == 422 && (date.object["detail"] as? String)?.isEmpty == false)
            let origin = try await client.call(.post, path, token: token,
                                               body: Self.purchase("U5").replacingOccurrences(of: "140603", with: "999999"))
            #expect(origin.status == 422 && fields(origin) == ["originCode"])
            let huge = try await client.call(.post, path, token: token,
                                             body: "{\"orderNo\": \"" + String(repeating: "x", count: 200_000) + "\"}")
            #expect(huge.status == 413)
            #expect(huge.headers[.contentType] == "application/problem+json")
            let count = try await client.call(.get, path, token: token)
            #expect((count.object["items"] as? [Any])?.count == 13)   // the fixtures only: nothing half-written
        }
    }

    @Test func idempotencyKeysAndConflictingOrders() async throws {
        try await APIWorld.with { world, client, store in
            let path = "/api/v1/units/\(Fixtures.unitA)/purchases"
            let token = world.tokens["clerkA"]
            let first = try await client.call(.post, path, token: token, body: Self.purchase("K1"), headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == 201)
            let again = try await client.call(.post, path, token: token, body: Self.purchase("K1"), headers: ["Idempotency-Key": "k-1"])
            #expect(again.status == 201 && again.text == first.text)
            #expect(again.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            let other = try await client.call(.post, path, token: token, body: Self.purchase("K2"), headers: ["Idempotency-Key": "k-1"])
            #expect(other.status == 422)
            #expect(other.object["type"] as? String == "urn:setaside:problem:idempotency-key-reused")
            let stored = try await ImportTests.count(store, "purchases")
            #expect(stored == 17)

            let conflict = try await client.call(.post, path, token: token, body: Self.purchase("K1", amount: "\"100.01\""))
            #expect(conflict.status == 409)
            #expect(conflict.object["type"] as? String == "urn:setaside:problem:conflict")
            let same = try await client.call(.post, path, token: token, body: Self.purchase("K1"))
            #expect(same.status == 200)
            #expect(same.object["id"] as? Int == first.object["id"] as? Int)
        }
    }

    @Test func reversalsAreNewRowsAndTheOriginalStays() async throws {
        try await APIWorld.with { world, client, store in
            let p1 = world.ids["P1"]!
            let token = world.tokens["clerkA"]
            let tooMuch = try await client.call(.post, "/api/v1/purchases/\(p1)/reversal", token: token,
                                                body: #"{"amount": "7500.01", "orderNo": "P1-R2", "orderDate": "2024-09-01"}"#)
            #expect(tooMuch.status == 422)
            let reversal = try await client.call(.post, "/api/v1/purchases/\(p1)/reversal", token: token,
                                                 body: #"{"amount": "7500.00", "orderNo": "P1-R2", "orderDate": "2024-09-01"}"#)
            #expect(reversal.status == 201)
            #expect(reversal.object["amount"] as? String == "-7500.00")
            #expect(reversal.object["reversalOf"] as? String == "P1")
            let original = try await client.call(.get, "/api/v1/purchases/\(p1)", token: token)
            #expect(original.object["amount"] as? String == "8000.00")
            // The report through the API is the CLI's report: P1 now counts nothing. Both
            // are made on a day pinned after 2024 (not today), so the whole year counts.
            let report = try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)/compliance?year=2024&asOf=2025-03-01",
                                               token: token)
            #expect(report.status == 200)
            let direct = try await store.complianceReport(ReportScope(year: 2024, unit: Fixtures.unitA,
                                                                      asOf: CalendarDate(year: 2025, month: 3, day: 1)))
            #expect(try ReportTests.canonical(json: report.text) == ReportTests.canonical(json: direct.json()))
            // P1 nets 0 now; P2 3000 + P7 1500 (no finding in this world) + P9 4000.
            #expect(direct.units[0].rules[0].actual == .money(.yuan(8_500)))

            // A reversal made in 2024 of a 2023 order counts in 2023, and the list's year
            // filter puts it there too, as the report does.
            let p13 = world.ids["P13"]!
            let late = try await client.call(.post, "/api/v1/purchases/\(p13)/reversal", token: token,
                                             body: #"{"amount": "100.00", "orderNo": "P13-R", "orderDate": "2024-01-05"}"#)
            #expect(late.status == 201)
            func listed(_ year: Int) async throws -> [String] {
                let page = try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)/purchases?year=\(year)&limit=100", token: token)
                return ((page.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["orderNo"] as? String }
            }
            #expect(try await listed(2023).sorted() == ["P13", "P13-R"])
            #expect(try await !listed(2024).contains("P13-R"))
        }
    }

    @Test func findingsStopARejectedPurchaseFromCounting() async throws {
        try await APIWorld.with { world, client, _ in
            let p9 = world.ids["P9"]!
            let inspector = world.tokens["inspectorShanxi"]
            let noReason = try await client.call(.post, "/api/v1/purchases/\(p9)/findings", token: inspector, body: #"{"verdict": "reject"}"#)
            #expect(noReason.status == 422)
            let reject = try await client.call(.post, "/api/v1/purchases/\(p9)/findings", token: inspector,
                                               body: #"{"verdict": "reject", "reason": "no invoice"}"#)
            #expect(reject.status == 201)
            let rejected = try await client.call(.get, "/api/v1/purchases/\(p9)", token: world.tokens["clerkA"])
            #expect(rejected.object["counted"] as? Bool == false)
            let accept = try await client.call(.post, "/api/v1/purchases/\(p9)/findings", token: inspector,
                                               body: #"{"verdict": "accept", "reason": "invoice found"}"#)
            #expect(accept.status == 201)
            let counted = try await client.call(.get, "/api/v1/purchases/\(p9)", token: world.tokens["clerkA"])
            #expect(counted.object["counted"] as? Bool == true)
        }
    }

    @Test func spotChecksAreStableForASeed() async throws {
        try await APIWorld.with { world, client, _ in
            let token = world.tokens["inspectorShanxi"]
            func draw(_ seed: String) async throws -> [Int] {
                let response = try await client.call(.post, "/api/v1/spot-checks", token: token,
                                                     body: "{\"region\": \"140000\", \"year\": 2024, \"size\": 5, \"seed\": \"\(seed)\"}")
                #expect(response.status == 201)
                // The year's counted orders, as the report adds them up: P1-P4, P7 and P9-P12
                // of unit A (P5 is cancelled, P6 refunded, P8 a reversal; P13 is 2023).
                #expect(response.object["population"] as? Int == 9)
                return ((response.object["purchases"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
            }
            // Every row of the year, on asking: the cancelled, refunded and reversal rows too.
            let all = try await client.call(.post, "/api/v1/spot-checks", token: token, body: """
                {"region": "140000", "year": 2024, "size": 20, "seed": "x", "includeAll": true}
                """)
            #expect(all.status == 201 && all.object["population"] as? Int == 12 && all.object["includeAll"] as? Bool == true)
            let badFlag = try await client.call(.post, "/api/v1/spot-checks", token: token, body: """
                {"region": "140000", "year": 2024, "size": 20, "seed": "x", "includeAll": "yes"}
                """)
            #expect(badFlag.status == 422)
            let first = try await draw("2024-audit"), second = try await draw("2024-audit")
            #expect(first.count == 5 && first == second)
            var differs = false
            for seed in ["a", "b", "c", "d"] where try await draw(seed) != first { differs = true }
            #expect(differs)
        }
    }

    @Test func aDisabledAccountsTokenIsRefusedAtOnceThoughItWasCached() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["clerkA"]
            let path = "/api/v1/units/\(Fixtures.unitA)"
            #expect(try await client.call(.get, path, token: token).status == 200)   // now in the cache
            try await store.disableAccount(login: "clerkA", actor: "cli:tests")
            // The cache keeps an account ten seconds; the change notice empties it at once.
            #expect(try await client.refusal(of: path, token: token) == 401)
            #expect(try await client.call(.get, path, token: world.tokens["admin"]).status == 200)
        }
    }

    @Test func loggingOutRevokesTheTokenOfTheRequestOnly() async throws {
        try await APIWorld.with { world, client, store in
            let path = "/api/v1/units/\(Fixtures.unitA)"
            let other = try await store.issueToken(login: "clerkA", actor: "cli:tests")
            let token = world.tokens["clerkA"]
            #expect(try await client.call(.get, path, token: token).status == 200)
            #expect(try await client.call(.delete, "/api/v1/session", token: token).status == 204)
            #expect(try await client.refusal(of: path, token: token) == 401)
            // The account's other token still works; the revoked one cannot log out twice.
            #expect(try await client.call(.get, path, token: other).status == 200)
            #expect(try await client.call(.delete, "/api/v1/session", token: token).status == 401)
            #expect(try await client.call(.delete, "/api/v1/session", token: nil).status == 401)
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRoute() async throws {
        try await APIWorld.with { world, client, store in
            let response = try await client.call(.get, "/api/v1/openapi.json", token: nil)
            let document = response.object
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = (document["paths"] as? [String: [String: Any]]) ?? [:]
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let router = buildAPI(operations: Operations(store: store), configuration: ServerConfiguration()).router
            let routed = Set(router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }.joined(separator: "/")
                return "\(route.method.rawValue) /" + path.drop { $0 == "/" }
            }).filter { route in
                // The web pages are HTML for browsers, not the API the document describes.
                route.contains(" /api/") || route.hasSuffix(" /healthz")
            }
            #expect(routed == documented, "routed but not documented: \(routed.subtracting(documented)); documented but not routed: \(documented.subtracting(routed))")
            #expect(documented.count == OpenAPIDocument.operations.count)
        }
    }

    @Test func apiWritesAreInTheTrailAndVerify() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["clerkA"]
            _ = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases", token: token, body: Self.purchase("T1"))
            _ = try await client.call(.put, "/api/v1/units/\(Fixtures.unitA)/declarations/2024", token: token,
                                      body: #"{"canteenFoodTotal": "120000.00", "reservedAmount": "12000.00", "unionWelfareBudget": "20000.00"}"#)
            let result = try await AuditTrail(store: store).verify()
            #expect(result.findings.isEmpty)
            let log = try await AuditTrail(store: store).log(unit: Fixtures.unitA)
            #expect(log.contains { $0.action == "purchase.create" && $0.actor == "account:clerkA" })
            let declaration = log.first { $0.action == "declaration.put" }
            #expect(declaration?.before?.contains("10000000") == true && declaration?.after?.contains("12000000") == true)
        }
    }
}
