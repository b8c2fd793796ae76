import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// Faults seen from outside the API, each fixed: the request log's account, a database
/// refusal, the spot check's seed, and access decided before a body is read.
@Suite struct APIFaultTests {
    @Test func theRequestLogNamesTheAccountThatAuthenticated() async throws {
        let lines = CapturedLog.Lines()
        try await APIWorld.with(logger: CapturedLog.logger(into: lines)) { world, client, _ in
            let response = try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)", token: world.tokens["clerkA"])
            #expect(response.status == 200)
            _ = try await client.call(.get, "/healthz", token: nil)
        }
        let requests = lines.all.filter { $0.message == "request" }
        let unit = requests.first { $0.metadata["path"]?.description == "/api/v1/units/\(Fixtures.unitA)" }
        #expect(unit?.metadata["account"]?.description == "clerkA")
        #expect(unit?.metadata["status"]?.description == "200")
        let health = requests.first { $0.metadata["path"]?.description == "/healthz" }
        #expect(health != nil && health?.metadata["account"] == nil)
    }

    @Test func aRefusalOfTheDatabaseIsAProblemDocumentNotAnInternalError() async throws {
        try await APIWorld.with { world, client, store in
            // A rule of the schema the application does not check itself, as a later
            // migration could add one: the database refuses inside the write's transaction.
            try await store.client.query("""
                CREATE FUNCTION refuse_big_plans() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.canteen_food_total > 100000000 THEN
                        RAISE EXCEPTION 'a canteen plan over one million yuan needs the bureau''s approval'
                            USING ERRCODE = '23514';
                    END IF;
                    RETURN NEW;
                END $$
                """)
            try await store.client.query("""
                CREATE TRIGGER refuse_big_plans BEFORE INSERT OR UPDATE ON declarations
                FOR EACH ROW EXECUTE FUNCTION refuse_big_plans()
                """)
            let response = try await client.call(
                .put, "/api/v1/units/\(Fixtures.unitA)/declarations/2026", token: world.tokens["clerkA"],
                body: #"{"canteenFoodTotal": "2000000.00", "reservedAmount": "200000.00", "unionWelfareBudget": "0"}"#)
            #expect(response.status == 422)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.object["type"] as? String == "urn:setaside:problem:refused")
            #expect((response.object["detail"] as? String)?.contains("needs the bureau's approval") == true)
        }
    }

    @Test func aSeedMayBeAWholeNumberAndIsTheSameSeedAsItsText() async throws {
        try await APIWorld.with { world, client, _ in
            let token = world.tokens["inspectorShanxi"]
            func draw(_ seed: String) async throws -> APIResponse {
                try await client.call(.post, "/api/v1/spot-checks", token: token,
                                      body: "{\"region\": \"140000\", \"year\": 2024, \"size\": 5, \"seed\": \(seed)}")
            }
            let number = try await draw("42"), text = try await draw("\"42\"")
            #expect(number.status == 201)
            #expect(number.object["seed"] as? String == "42")
            let ids = { (r: APIResponse) in ((r.object["purchases"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int } }
            #expect(ids(number).count == 5 && ids(number) == ids(text))
            // Another kind of value is named by its JSON field alone (no "file" or line).
            let wrong = try await draw("[1]")
            #expect(wrong.status == 422)
            #expect(wrong.object["detail"] as? String == "seed: must be a string or a whole number")
        }
    }

    @Test func aClerkIsRefusedASpotCheckBeforeItsBodyIsRead() async throws {
        try await APIWorld.with { world, client, _ in
            let malformed = try await client.call(.post, "/api/v1/spot-checks", token: world.tokens["clerkA"],
                                                  body: #"{"region": 140000, "size": "five"}"#)
            #expect(malformed.status == 403)
            let notJSON = try await client.call(.post, "/api/v1/spot-checks", token: world.tokens["clerkA"], body: "{")
            #expect(notJSON.status == 403)
        }
    }
}
