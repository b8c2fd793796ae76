import Foundation
import HTTPTypes
import HummingbirdTesting
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// An inspector sees its region and what lies under it: not the regions above it (its
/// ancestors), nor those beside it (siblings and their children).
@Suite struct RegionAccessTests {
    @Test func anInspectorIsRefusedItsAncestorsAndSiblings() async throws {
        try await APIWorld.with { world, client, store in
            // An inspector of 平鲁区 (140603): above it 朔州市 140600, 山西省 140000 and the
            // root 100000; beside it 朔城区 140602 (unit C's county).
            _ = try await store.addAccount(login: "inspectorPinglu", role: .inspector, units: [], region: "140603",
                                           passwordHash: "$2b$04$abcdefghijklmnopqrstuu", actor: "cli:tests")
            let pinglu = try await store.issueToken(login: "inspectorPinglu", actor: "cli:tests")
            let shanxi = try #require(world.tokens["inspectorShanxi"])
            func report(_ token: String, _ region: String) async throws -> APIResponse {
                try await client.call(.get, "/api/v1/regions/\(region)/compliance?year=2024&asOf=2025-03-01", token: token)
            }
            func spotCheck(_ token: String, _ region: String) async throws -> APIResponse {
                try await client.call(.post, "/api/v1/spot-checks", token: token,
                                      body: "{\"region\": \"\(region)\", \"year\": 2024, \"size\": 2, \"seed\": \"s\"}")
            }
            // Its own region and below.
            let own = try await report(pinglu, "140603")
            #expect(own.status == 200)
            #expect(((own.object["units"] as? [[String: Any]]) ?? []).compactMap { $0["creditCode"] as? String } == [Fixtures.unitA])
            #expect(try await report(pinglu, "140603001").status == 200)
            #expect(try await spotCheck(pinglu, "140603").status == 201)
            // (who, region, why) — each refused, for the report and the spot check alike.
            let refused: [(String, String, String)] = [
                (pinglu, "140600", "its parent"), (pinglu, "140000", "its province"), (pinglu, "100000", "the root"),
                (pinglu, "140602", "its sibling"), (pinglu, "530402", "a county of another province"),
                (shanxi, "100000", "the root above a province"), (shanxi, "530000", "a sibling province"),
                (shanxi, "530400", "a city of a sibling province"),
            ]
            for (token, region, why) in refused {
                let response = try await report(token, region)
                #expect(response.status == 403, "report of \(region), \(why): \(response.text)")
                #expect(response.object["units"] == nil)
                #expect(response.object["type"] as? String == "urn:setaside:problem:forbidden")
                let check = try await spotCheck(token, region)
                #expect(check.status == 403, "spot check of \(region), \(why): \(check.text)")
                #expect(check.object["purchases"] == nil)
            }
            // A unit of the sibling county is refused too, its purchases and its report.
            for path in ["/api/v1/units/\(Fixtures.unitC)", "/api/v1/units/\(Fixtures.unitC)/purchases",
                         "/api/v1/units/\(Fixtures.unitC)/compliance?year=2024&asOf=2025-03-01"] {
                #expect(try await client.call(.get, path, token: pinglu).status == 403, "\(path)")
                #expect(try await client.call(.get, path, token: shanxi).status == 200, "\(path)")
            }
            #expect(try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)", token: pinglu).status == 200)
            // The unit list shows only what lies under its region.
            let units = try await client.call(.get, "/api/v1/units", token: pinglu)
            #expect((units.object["items"] as? [[String: Any]])?.compactMap { $0["creditCode"] as? String } == [Fixtures.unitA])
            // An unknown region is not found, for anyone.
            #expect(try await report(pinglu, "999999").status == 404)
        }
    }
}
