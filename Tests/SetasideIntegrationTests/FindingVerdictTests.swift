import Foundation
import HummingbirdTesting
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// Which finding decides whether a purchase counts: the latest accept or reject (a note
/// decides nothing), and a rejected order takes its reversals with it.
@Suite struct FindingVerdictTests {
    /// Unit A's canteen-reserve-10 amount in the 2024 report, made on a pinned day after
    /// the year. With no finding it is P1 8000 less its reversal P8 500, P2 3000, P7 1500
    /// and P9 4000: 16000.00.
    static func counted(_ client: some TestClientProtocol, _ world: APIWorld) async throws -> String? {
        let report = try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)/compliance?year=2024&asOf=2025-03-01",
                                           token: world.tokens["clerkA"])
        #expect(report.status == 200)
        let units = (report.object["units"] as? [[String: Any]]) ?? []
        let rules = (units.first?["rules"] as? [[String: Any]]) ?? []
        return rules.first { $0["rule"] as? String == "canteen-reserve-10" }?["actual"] as? String
    }

    /// Whether the purchase `order` counts, as the API shows it.
    static func isCounted(_ client: some TestClientProtocol, _ world: APIWorld, _ order: String) async throws -> Bool? {
        let id = try #require(world.ids[order])
        return try await client.call(.get, "/api/v1/purchases/\(id)", token: world.tokens["clerkA"]).object["counted"] as? Bool
    }

    static func find(_ client: some TestClientProtocol, _ world: APIWorld, _ order: String, _ verdict: String,
                     _ reason: String) async throws {
        let id = try #require(world.ids[order])
        let response = try await client.call(.post, "/api/v1/purchases/\(id)/findings", token: world.tokens["inspectorShanxi"],
                                             body: "{\"verdict\": \"\(verdict)\", \"reason\": \"\(reason)\"}")
        #expect(response.status == 201, "\(order) \(verdict): \(response.text)")
        #expect(response.object["verdict"] as? String == verdict)
    }

    @Test func aRejectedOrderTakesItsReversalsWithIt() async throws {
        try await APIWorld.with { world, client, _ in
            #expect(try await Self.counted(client, world) == "16000.00")
            #expect(try await Self.isCounted(client, world, "P8") == true)
            try await Self.find(client, world, "P1", "reject", "no invoice")
            #expect(try await Self.isCounted(client, world, "P1") == false)
            // P8 takes back 500 of P1: with P1 gone it takes back nothing (were it still
            // counted, the amount would be 8000.00).
            #expect(try await Self.isCounted(client, world, "P8") == false)
            #expect(try await Self.counted(client, world) == "8500.00")
            // A reversal made after the rejection does not count either.
            let reversal = try await client.call(.post, "/api/v1/purchases/\(world.ids["P1"]!)/reversal",
                                                 token: world.tokens["clerkA"],
                                                 body: #"{"amount": "100.00", "orderNo": "P1-R", "orderDate": "2024-09-01"}"#)
            #expect(reversal.status == 201)
            #expect(reversal.object["counted"] as? Bool == false)
            #expect(try await Self.counted(client, world) == "8500.00")
        }
    }

    @Test func aNoteAfterARejectionKeepsItRejected() async throws {
        try await APIWorld.with { world, client, _ in
            try await Self.find(client, world, "P9", "reject", "wrong origin")
            #expect(try await Self.isCounted(client, world, "P9") == false)
            #expect(try await Self.counted(client, world) == "12000.00")
            try await Self.find(client, world, "P9", "note", "called the supplier")
            #expect(try await Self.isCounted(client, world, "P9") == false)
            #expect(try await Self.counted(client, world) == "12000.00")
        }
    }

    @Test func anAcceptanceFollowedByARejectionIsARejection() async throws {
        try await APIWorld.with { world, client, _ in
            try await Self.find(client, world, "P7", "accept", "invoice seen")
            #expect(try await Self.isCounted(client, world, "P7") == true)
            #expect(try await Self.counted(client, world) == "16000.00")
            try await Self.find(client, world, "P7", "reject", "the invoice was forged")
            #expect(try await Self.isCounted(client, world, "P7") == false)
            #expect(try await Self.counted(client, world) == "14500.00")
            // And a note after that changes nothing either.
            try await Self.find(client, world, "P7", "note", "referred to the bureau")
            #expect(try await Self.isCounted(client, world, "P7") == false)
            #expect(try await Self.counted(client, world) == "14500.00")
        }
    }
}
