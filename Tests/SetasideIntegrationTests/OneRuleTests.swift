import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SetasideCore
@testable import SetasideOperations
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// A rule of a purchase write has one definition (`PurchaseRules`): a purchase posted to
/// the API and the same purchase in an import file are refused for the same reason, in
/// the same words.
@Suite struct OneRuleTests {
    static let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"

    /// The reasons an import of `rows` (for unit A) is refused with.
    static func fileReasons(_ store: Store, _ rows: String) async throws -> [String] {
        do {
            _ = try await Operations(store: store).importFile(.purchases, bytes: Array((header + rows).utf8),
                                                              by: .commandLine(user: "tests"))
            return []
        } catch ImportError.rejected(let problems) {
            return problems.map(\.reason)
        }
    }

    @Test func anOrderStoredWithOtherContentIsRefusedInTheSameWordsFromEveryDoor() async throws {
        try await APIWorld.with { world, client, store in
            let a = Fixtures.unitA
            // P7 is stored at 1500.00; the same number at 1600.00 is another order.
            let fromFile = try await Self.fileReasons(store, "\(a),P7,2024-05-03,platform832,canteenFood,140603,1600,completed,,\n")
            let api = try await client.call(.post, "/api/v1/units/\(a)/purchases", token: world.tokens["clerkA"], body: """
                {"orderNo": "P7", "orderDate": "2024-05-03", "channel": "platform832", "category": "canteenFood",
                 "originCode": "140603", "amount": "1600.00"}
                """)
            #expect(api.status == 409)
            #expect(fromFile.count == 1)
            #expect(fromFile.first?.contains("is stored with different content (purchase \(world.ids["P7"]!): 2024-05-03") == true)
            #expect(api.object["detail"] as? String == fromFile.first)
        }
    }

    /// Refuses `row` in a file and the reversal `body` of purchase `original` through the
    /// API; both must name `field` (the file's column) with `reason`.
    static func expectSameRefusal(_ world: APIWorld, _ client: any TestClientProtocol, _ store: Store, row: String,
                                  original: String, body: String, field: String, reason: String) async throws {
        let fromFile = try await fileReasons(store, row)
        let api = try await client.call(.post, "/api/v1/purchases/\(world.ids[original]!)/reversal",
                                        token: world.tokens["clerkA"], body: body)
        #expect(api.status == 422)
        let errors = (api.object["errors"] as? [[String: Any]]) ?? []
        #expect(errors.map { $0["field"] as? String } == [InputProblem.jsonName(ofColumn: field)])
        #expect(fromFile == [reason])
        #expect(errors.first?["reason"] as? String == reason)
    }

    @Test func aReversalTakingBackTooMuchIsRefusedInTheSameWordsFromEveryDoor() async throws {
        try await APIWorld.with { world, client, store in
            let a = Fixtures.unitA
            // P1 is 8000.00 with 500.00 reversed already (P8): 7600.00 more is too much.
            try await Self.expectSameRefusal(
                world, client, store, row: "\(a),R1,2024-08-01,platform832,canteenFood,140603,-7600,completed,,P1\n",
                original: "P1", body: #"{"amount": "7600.00", "orderNo": "R1", "orderDate": "2024-08-01"}"#,
                field: "amount", reason: "the reversals of order P1 take back 8100.00, more than its amount 8000.00")
            // Within what is left, both doors store it.
            let fits = try await client.call(.post, "/api/v1/purchases/\(world.ids["P1"]!)/reversal", token: world.tokens["clerkA"],
                                             body: #"{"amount": "7500.00", "orderNo": "R1", "orderDate": "2024-08-01"}"#)
            #expect(fits.status == 201)
            #expect(fits.object["amount"] as? String == "-7500.00")
        }
    }

    @Test func aReversalDatedBeforeItsOriginalIsRefusedInTheSameWordsFromEveryDoor() async throws {
        try await APIWorld.with { world, client, store in
            // P1 is dated 2024-02-01: a reversal of it cannot be dated a day earlier.
            try await Self.expectSameRefusal(
                world, client, store, row: "\(Fixtures.unitA),R3,2024-01-31,platform832,canteenFood,140603,-1,completed,,P1\n",
                original: "P1", body: #"{"amount": "1.00", "orderNo": "R3", "orderDate": "2024-01-31"}"#,
                field: "order_date", reason: "a reversal is dated on or after its original; order P1 is dated 2024-02-01")
            // The same day is allowed.
            let sameDay = try await client.call(.post, "/api/v1/purchases/\(world.ids["P1"]!)/reversal", token: world.tokens["clerkA"],
                                                body: #"{"amount": "1.00", "orderNo": "R3", "orderDate": "2024-02-01"}"#)
            #expect(sameDay.status == 201)
        }
    }

    @Test func aReversalOfAReversalIsRefusedInTheSameWordsFromEveryDoor() async throws {
        try await APIWorld.with { world, client, store in
            try await Self.expectSameRefusal(
                world, client, store, row: "\(Fixtures.unitA),R2,2024-08-01,platform832,canteenFood,140603,-1,completed,,P8\n",
                original: "P8", body: #"{"amount": "1.00", "orderNo": "R2", "orderDate": "2024-08-01"}"#,
                field: "reversal_of", reason: "order P8 is itself a reversal; reverse the original order")
        }
    }
}
