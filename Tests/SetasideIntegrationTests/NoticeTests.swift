import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// The notice (通报, issue 12) on a hand-made dataset with units of every state, made on
/// 2024-07-01 (day 183 of 366, seven months from the year end counting July).
@Suite struct NoticeTests {
    static let u1 = Fixtures.code("11140000MB0000101"), u2 = Fixtures.code("11140600MB0000102")
    static let u3 = Fixtures.code("11140603MB0000103"), u4 = Fixtures.code("11140603MB0000104")
    static let u5 = Fixtures.code("11140602MB0000105"), u6 = Fixtures.code("11140602MB0000106")
    static let u7 = Fixtures.code("11140602MB0000107")
    static let scope = ReportScope(year: 2024, region: "140000", asOf: CalendarDate(year: 2024, month: 7, day: 1))
    static let cli = Caller.commandLine(user: "tests")

    /// U1 province-level, meets the rule; U2 city-level, short and on pace to stay short;
    /// U3 (supervised by U2) short but on pace; U4 declared, nothing bought; U5 not
    /// declared; U6 无食堂; U7 declared, then the declaration returned.
    static func load(_ store: Store) async throws {
        let units = """
            credit_code,name,region_code,level,has_canteen,five_entries,assisting,parent_credit_code
            \(u1),省直单位一,140000,province,true,false,false,
            \(u2),市直单位二,140600,city,true,false,false,
            \(u3),平鲁单位三,140603,county,true,false,false,\(u2)
            \(u4),平鲁单位四,140603,county,true,false,false,
            \(u5),朔城单位五,140602,county,true,false,false,
            \(u6),朔城单位六,140602,county,false,false,false,
            \(u7),朔城单位七,140602,county,true,false,false,

            """
        let declarations = """
            credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget
            \(u1),2024,100000,10000,0
            \(u2),2024,200000,20000,0
            \(u3),2024,50000,5000,0
            \(u4),2024,80000,8000,0
            \(u7),2024,60000,6000,0

            """
        // Eligible canteen food: 832 platform, from 平鲁区 (relieved).
        let purchases = """
            credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
            \(u1),N1,2024-03-01,platform832,canteenFood,140603,12000,completed,,
            \(u2),N2,2024-06-01,platform832,canteenFood,140603,5000,completed,,
            \(u3),N3,2024-05-01,platform832,canteenFood,140603,3000,completed,,

            """
        let operations = Operations(store: store)
        for (kind, text) in [(ImportKind.regions, Fixtures.regions), (.units, units), (.declarations, declarations),
                             (.purchases, purchases)] {
            _ = try await operations.importFile(kind, bytes: Array(text.utf8), by: cli)
        }
        _ = try await operations.returnDeclaration(of: u7, year: 2024, reason: "预留份额未填", by: cli)
    }

    @Test func theCountsListsAndRankingsOfEveryState() async throws {
        try await TestDatabase.withStore { store in
            try await Self.load(store)
            let notice = try await Operations(store: store).notice(Self.scope, by: Self.cli)
            // 7 units; 6 with a canteen (U6 not); declared U1–U4; not declared U5 and U7
            // (returned); not started U4; met U1; short U2, U3, U4, U5, U7. Declared
            // 430 000, reserved 43 000, bought 12 000 + 5 000 + 3 000 = 20 000: 46.51%.
            let totals = notice.totals
            let counted: [Int] = [totals.units, totals.withCanteen, totals.declared, totals.notDeclared, totals.notStarted,
                                  totals.met, totals.short]
            #expect(counted == [7, 6, 4, 2, 1, 1, 5])
            #expect(totals.declaredTotal == .yuan(430_000) && totals.reserved == .yuan(43_000) && totals.bought == .yuan(20_000))
            #expect(totals.executionRate == "46.51")
            // By level: the province-level unit apart from the city's and the counties'.
            #expect(notice.byLevel.map(\.group.rawValue) == ["province", "city", "county"])
            #expect(notice.byLevel.map(\.counts.executionRate) == ["120.00", "25.00", "23.08"])
            let county = try #require(notice.byLevel.last?.counts)
            let counties: [Int] = [county.units, county.withCanteen, county.declared, county.notDeclared, county.notStarted,
                                   county.met, county.short]
            #expect(counties == [5, 4, 2, 2, 1, 0, 4])

            // One level down from the province: U1 sits in it (本级); the rest in 朔州市.
            // 本级 12 000 of 10 000 required (120.00%); 朔州市 8 000 of 33 000 (24.24%).
            #expect(notice.regions.map(\.code) == ["140000", "140600"])
            #expect(notice.regions.map(\.name) == ["山西省本级", "朔州市"])
            #expect(notice.regions.map(\.completion) == ["120.00", "24.24"])
            let sZhou: [Int] = notice.regions.last.map { [$0.units, $0.applicable, $0.met] } ?? []
            #expect(sZhou == [5, 5, 0])
            // Both packs encourage 15%.
            #expect(notice.regions.map(\.requiredRatio) == ["10.00", "10.00"] && notice.regions.last?.encouragedRatio == "15.00")
            // Units by completion: U1 120%, U3 60%, U2 25%, U4 0%; U5 and U7 owe nothing yet (no base).
            #expect(notice.units.map(\.code) == [Self.u1, Self.u3, Self.u2, Self.u4] + [Self.u5, Self.u7].sorted())
            #expect(notice.units.prefix(4).map(\.completion) == ["120.00", "60.00", "25.00", "0.00"])
            #expect(notice.units.prefix(4).map(\.encouragedRatio) == ["15.00", "15.00", "15.00", "15.00"])
            #expect(notice.units.prefix(4).map(\.requiredRatio) == ["10.00", "10.00", "10.00", "10.00"])

            #expect(notice.notDeclared.map(\.creditCode).sorted() == [Self.u5, Self.u7].sorted())
            #expect(notice.notStarted.map(\.creditCode) == [Self.u4] && notice.notStarted.first?.required == .yuan(8_000))
            #expect(Set(notice.short.map(\.creditCode)) == [Self.u2, Self.u3, Self.u4, Self.u5, Self.u7])
            let three = notice.short.first { $0.creditCode == Self.u3 }
            #expect(three?.supervisor?.creditCode == Self.u2 && three?.shortfall == .yuan(2_000))
            // The early warning: U2 at 5 000 × 366 / (200 000 × 183) = 5.00% and U4 at 0% end
            // the year short; U3 at 3 000 × 366 / (50 000 × 183) = 12.00% is on pace. Each
            // gap over the 6 months left (July to December): 15 000 / 6 = 2 500.00;
            // 8 000 / 6 = 1 333.333…, rounded up to 1 333.34.
            #expect(notice.warnings.map(\.creditCode).sorted() == [Self.u2, Self.u4].sorted())
            #expect(notice.warnings.first { $0.creditCode == Self.u2 }?.monthly == Money(fen: 250_000))
            #expect(notice.warnings.first { $0.creditCode == Self.u4 }?.monthly == Money(fen: 133_334))
            #expect(notice.warnings.first { $0.creditCode == Self.u2 }?.projection == "5.00")

            // After the year, no warning (and no sheet for it).
            let after = try await Operations(store: store).notice(
                ReportScope(year: 2024, region: "140000", asOf: CalendarDate(year: 2025, month: 1, day: 15)), by: Self.cli)
            #expect(after.warnings.isEmpty && !after.sheets.map(\.name).contains("进度预警"))
            #expect(notice.sheets.map(\.name) == ["概况", "地区排名", "单位排名", "未申报", "已申报未启动", "未达标", "进度预警"])
        }
    }

    @Test func theCommandLineAndTheAPIGiveItInEveryFormat() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-notice-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            try await Store.withStore(url: url.acting(as: DatabaseRoles.application), logger: TestDatabase.logger) { try await Self.load($0) }
            let base = ["report", "notice", "--year", "2024", "--region", "140000", "--as-of", "2024-07-01"]
            let table = try CLITests.run(base, url: url)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("== 进度预警 ==") && table.stdout.contains("2,500.00"))
            let json = try AssessmentTests.object(try CLITests.run(base + ["--format", "json"], url: url).stdout)
            #expect((json["totals"] as? [String: Any])?["executionRate"] as? String == "46.51")
            #expect(json["inProgress"] as? Bool == true)
            let csv = try CLITests.run(base + ["--format", "csv"], url: url).stdout
            #expect(csv.contains("【未申报】") && csv.contains("全部,7,6,4,2,1,1,5,430000.00,43000.00,20000.00,46.51%"))
            let xlsx = folder.appendingPathComponent("notice.xlsx")
            #expect(try CLITests.run(base + ["--format", "xlsx", "--out", xlsx.path], url: url).status == 0)
            let sheets = try AssessmentWorkbookTests.read(xlsx.path, with: "openpyxl")
            #expect(sheets.compactMap { $0["name"] as? String } == ["概况", "地区排名", "单位排名", "未申报", "已申报未启动", "未达标", "进度预警"])
            let summary = sheets.first?["rows"] as? [[Any]]
            let all = summary?.first { $0.first as? String == "全部" }
            #expect(all.map { try? ReportTests.canonical(Array($0.dropFirst())) }
                    == (try ReportTests.canonical([7, 6, 4, 2, 1, 1, 5, 430000, 43000, 20000, 0.4651])))
            #expect(try CLITests.run(base + ["--format", "xlsx"], url: url).status != 0)
        }
    }

    @Test func theAPIAnswersInspectorsOfTheRegionAndNotClerks() async throws {
        try await APIWorld.with { world, client, _ in
            let path = "/api/v1/notices/2024?region=140000&asOf=2024-07-01"
            #expect(try await client.call(.get, path, token: world.tokens["clerkA"]).status == 403)
            #expect(try await client.call(.get, "/api/v1/notices/2024?region=530000", token: world.tokens["inspectorShanxi"]).status == 403)
            let json = try await client.call(.get, path, token: world.tokens["inspectorShanxi"])
            #expect(json.status == 200 && (json.object["totals"] as? [String: Any])?["units"] as? Int == 2)
            let xlsx = try await client.call(.get, path + "&format=xlsx", token: world.tokens["inspectorShanxi"])
            #expect(xlsx.headers[.contentType] == NoticeFormat.xlsx.contentType && xlsx.bytes.prefix(2) == [0x50, 0x4B])
            let table = try await client.call(.get, path + "&format=table", token: world.tokens["inspectorShanxi"])
            #expect(table.text.contains("== 概况 =="))
            let csv = try await client.call(.get, path + "&format=csv", token: world.tokens["inspectorShanxi"])
            #expect(csv.bytes.prefix(3) == [0xEF, 0xBB, 0xBF] && csv.text.contains("【未达标】"))
            #expect(try await client.call(.get, path + "&format=pdf", token: world.tokens["inspectorShanxi"]).status == 422)
        }
    }
}
