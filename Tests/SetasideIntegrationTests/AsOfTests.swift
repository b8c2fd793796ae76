import Foundation
import HummingbirdTesting
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// The day a report is made is the one asked for (`?asOf=`, `--as-of`), so tests that
/// pin it do not depend on the day they run.
@Suite struct AsOfTests {
    static let midYear = CalendarDate(year: 2024, month: 7, day: 1)
    static let afterTheYear = CalendarDate(year: 2025, month: 3, day: 1)

    @Test func theAPIMakesTheReportOfTheDayAskedFor() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["inspectorShanxi"]
            func report(_ asOf: String) async throws -> APIResponse {
                try await client.call(.get, "/api/v1/regions/140000/compliance?year=2024&asOf=\(asOf)", token: token)
            }
            let mid = try await report("2024-07-01"), after = try await report("2025-03-01")
            #expect(mid.status == 200 && after.status == 200)
            let direct = { (day: CalendarDate?) in
                try await store.complianceReport(ReportScope(year: 2024, region: "140000", asOf: day)).json()
            }
            #expect(try ReportTests.canonical(json: mid.text) == ReportTests.canonical(json: try await direct(Self.midYear)))
            #expect(try ReportTests.canonical(json: after.text) == ReportTests.canonical(json: try await direct(Self.afterTheYear)))
            // The two days give two reports: mid-year, P10 (September) is not counted yet
            // and the share rules carry a projection.
            #expect(mid.text != after.text)
            #expect(mid.text.contains("\"projection\": \"") && !after.text.contains("\"projection\": \""))
            let bad = try await report("2024-02-30")
            #expect(bad.status == 422)
            #expect(((bad.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } == ["asOf"])
            // A day before the report's year is refused, naming the field.
            let early = try await report("2023-12-31")
            #expect(early.status == 422)
            let errors = (early.object["errors"] as? [[String: Any]]) ?? []
            #expect(errors.compactMap { $0["field"] as? String } == ["asOf"])
            #expect(errors.compactMap { $0["reason"] as? String }.first?.contains("before its year 2024") == true)
        }
    }

    @Test func theCommandLineMakesTheReportOfTheDayAskedFor() async throws {
        try await TestDatabase.withDatabase { url in
            try await Store.withStore(url: url, logger: TestDatabase.logger) { store in
                _ = try await ImportTests.load(store)
            }
            func run(_ asOf: String) throws -> CLITests.Output {
                try CLITests.run(["report", "compliance", "--year", "2024", "--as-of", asOf, "--format", "json"], url: url)
            }
            let mid = try run("2024-07-01"), after = try run("2025-03-01")
            #expect(mid.status == 0 && after.status == 0, "\(mid.stderr) \(after.stderr)")
            let (expectedMid, expectedAfter) = try await Store.withStore(url: url, logger: TestDatabase.logger) { store in
                (try await store.complianceReport(ReportScope(year: 2024, asOf: Self.midYear)).json(),
                 try await store.complianceReport(ReportScope(year: 2024, asOf: Self.afterTheYear)).json())
            }
            #expect(try ReportTests.canonical(json: mid.stdout) == ReportTests.canonical(json: expectedMid))
            #expect(try ReportTests.canonical(json: after.stdout) == ReportTests.canonical(json: expectedAfter))
            #expect(mid.stdout != after.stdout)
            let bad = try CLITests.run(["report", "compliance", "--year", "2024", "--as-of", "2024-13-01"], url: url)
            #expect(bad.status != 0)
            let early = try CLITests.run(["report", "compliance", "--year", "2024", "--as-of", "2023-12-31"], url: url)
            #expect(early.status != 0)
            #expect(early.stderr.contains("before its year 2024"), "\(early.stderr)")
        }
    }
}
