import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing
import ZIPFoundation

/// The assessment as an xlsx workbook and as CSV files (issue 12): read back by openpyxl
/// and by LibreOffice, every cell of the hand-checked dataset of `ReportTests` compared,
/// numbers as numbers.
@Suite struct AssessmentWorkbookTests {
    static let asOf = CalendarDate(year: 2025, month: 3, day: 1)
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let null = NSNull()

    /// Reads `file` back with `reader` (`openpyxl` or `libreoffice`) through
    /// scripts/read_workbook.py: its sheets, in order.
    static func read(_ file: String, with reader: String) throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("scripts/read_workbook.py").path, reader, file]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, """
            read_workbook.py \(reader) failed (scripts/test.sh installs openpyxl and LibreOffice): \(problem)
            """)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["sheets"] as? [[String: Any]])
    }

    static func canonical(_ rows: Any?) throws -> String {
        try ReportTests.canonical(rows ?? [Any]())
    }

    /// The whole country's assessment of the dataset, on 2025-03-01.
    static func export(_ store: Store, format: AssessmentFormat, to path: String) async throws -> ExportSummary {
        try await ReportTests.loadWithFindings(store)
        return try await Operations(store: store).exportAssessment(
            ReportScope(year: 2024, asOf: asOf), format: format, to: path, by: .commandLine(user: "tests"))
    }

    /// Worked out by hand from the figures of `ReportTests.expected` (A: canteen 14 500 of
    /// 101 000 = 14.36%; 20%: 3 000 of 101 000 = 2.97%; union 6 500 of 20 000 = 32.50%;
    /// packing 6 000 of 10 000; one purchase (P7) rejected. B: 4 999.99 of 50 000 = 10.00%,
    /// one fen short; one festival of one. C: no canteen). The rules in the order they
    /// first appear (C, A, B): canteen, 20%, union, packing city, packing district, festivals.
    static var expectedUnits: [[Any]] {
        let n = null, none: [Any] = Array(repeating: null, count: 5) + ["不适用"], absent: [Any] = Array(repeating: null, count: 6)
        return [
            [Fixtures.unitC, "示例单位丙", "140602", "朔城区", "区级", n, n, "未申报"] + none + absent + absent + absent + absent + absent
                + ["不适用", 0],
            [Fixtures.unitA, "示例单位甲", "140603", "平鲁区", "区级", n, n, "逾期申报",
             101000, 10100, 14500, 0.1436, 0, "达标",
             101000, 20200, 3000, 0.0297, 17200, "未达标",
             20000, 6000, 6500, 0.325, 0, "达标"] + none
                + [n, 10000, 6000, n, 4000, "未达标"] + absent + ["未达标", 1],
            [Fixtures.unitB, "示例单位乙", "530402", "红塔区", "市级", n, n, "逾期申报",
             50000, 5000, 4999.99, 0.1, 0.01, "未达标"] + absent + absent + absent + absent
                + [n, 1, 1, n, 0, "达标", "未达标", 0],
        ]
    }

    /// Each region's roll-up: units, declared, short; per rule applicable, met, base,
    /// actual, ratio (a rule applying to none: 0, 0 and empty cells).
    static var expectedRegions: [[Any]] {
        let n = null, zero: [Any] = [0, 0, null, null, null]
        let shanxi: [Any] = [2, 1, 1, 1, 1, 101000, 14500, 0.1436, 1, 0, 101000, 3000, 0.0297, 1, 1, 20000, 6500, 0.325]
            + zero + [1, 0, n, 6000, n, 0, 0]
        let yunnan: [Any] = [1, 1, 1, 1, 0, 50000, 4999.99, 0.1] + zero + zero + zero + zero + [1, 1]
        return [
            ["140000", "山西省", "省"] + shanxi,
            ["140600", "朔州市", "市"] + shanxi,
            // C alone, whose only rule does not apply.
            ["140602", "朔城区", "县", 1, 0, 0] + zero + zero + zero + zero + zero + [0, 0],
            // A alone: the same sums as the province's.
            ["140603", "平鲁区", "县", 1] + shanxi.dropFirst(),
            ["530000", "云南省", "省"] + yunnan,
            ["530400", "玉溪市", "市"] + yunnan,
            ["530402", "红塔区", "县"] + yunnan,
        ]
    }

    @Test func theWorkbookReadsBackCellByCellThroughOpenpyxlAndLibreOffice() async throws {
        try await TestDatabase.withStore { store in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-xlsx-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("assessment.xlsx").path
            _ = try await Self.export(store, format: .xlsx, to: file)
            var head: String?
            for try await hash in try await store.client.query("SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1")
                .decode(String.self) { head = hash }
            #expect(!FileManager.default.fileExists(atPath: file + ".partial"))

            let sheets = try Self.read(file, with: "openpyxl")
            #expect(sheets.compactMap { $0["name"] as? String } == ["封面", "单位", "地区汇总", "主管单位汇总", "包销"])
            let byName = Dictionary(uniqueKeysWithValues: sheets.compactMap { sheet in (sheet["name"] as? String).map { ($0, sheet) } })

            // 单位: the group row names each rule over its six columns; the header below it.
            let units = try #require(byName["单位"]?["rows"] as? [[Any]])
            #expect(units.count == 5)
            #expect(units.first?[8] as? String == "食堂食材预留份额（canteen-reserve-10）")
            #expect(units.first?[38] as? String == "工会节日慰问品（union-festivals，鼓励性）")
            #expect(units.dropFirst().first?.prefix(14).compactMap { $0 as? String } == [
                "统一社会信用代码", "单位名称", "地区代码", "地区名称", "层级", "主管单位代码", "主管单位", "申报状态",
                "基数", "应达", "实际", "比例", "差额", "状态"])
            #expect(try Self.canonical(Array(units.dropFirst(2))) == Self.canonical(Self.expectedUnits))
            // Amounts and shares are numbers with their formats; the header frozen and filtered.
            let formats = try #require(byName["单位"]?["formats"] as? [String: String])
            #expect(formats["I4"] == "#,##0.00" && formats["L4"] == "0.00%" && formats["AN5"] == "0")
            #expect(byName["单位"]?["freeze"] as? String == "C3")
            #expect(byName["单位"]?["autofilter"] as? String == "A2:AT5")
            #expect((byName["单位"]?["widths"] as? [String: Double])?["B"].map { $0 >= 30 } == true)

            let regions = try #require(byName["地区汇总"]?["rows"] as? [[Any]])
            #expect(try Self.canonical(Array(regions.dropFirst(2))) == Self.canonical(Self.expectedRegions))
            #expect(byName["地区汇总"]?["freeze"] as? String == "A3")
            // No unit of the dataset has a supervising unit: the header only.
            #expect((byName["主管单位汇总"]?["rows"] as? [[Any]])?.count == 2)
            let packing = try #require(byName["包销"]?["rows"] as? [[Any]])
            #expect(try Self.canonical(Array(packing.dropFirst())) == Self.canonical([
                [Fixtures.unitA, "示例单位甲", "区级", "140603001201", 6000, 6000, 10000, "未达标"]]))
            #expect(byName["包销"]?["freeze"] as? String == "A2")

            // 封面: the figures' year, scope, day, time made and audit head, then the packs.
            let cover = try #require(byName["封面"]?["rows"] as? [[Any]])
            let madeAt = try #require(cover.dropFirst(4).first?.last as? String)
            #expect(madeAt.wholeMatch(of: /20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z/) != nil)
            #expect(try Self.canonical(Array(cover.prefix(8))) == Self.canonical([
                ["年度", 2024], ["考核范围代码", "100000"], ["考核范围", "中华人民共和国"], ["截至日期", "2025-03-01"],
                ["生成时间", madeAt], ["审计链末端哈希", try #require(head)], ["单位数", 3],
                ["数据", "实时数据（本范围本年度未冻结）"]]))
            let baseline = cover.first { $0.first as? String == "national-baseline" && $0.count > 4 && $0[4] as? String == "canteen-reserve-10" }
            #expect(baseline.map { Array($0[8...9]) }.map { try? Self.canonical($0) } == (try Self.canonical([0.1, 0.15])))
            let packs = Set(cover.dropFirst(10).compactMap { $0.first as? String })
            #expect(packs == ["national-baseline", "pinglu-2022", "yuxi-2022-2024"])

            // LibreOffice reads the same cells.
            let libreOffice = try Self.read(file, with: "libreoffice")
            for (mine, theirs) in zip(sheets, libreOffice) {
                #expect(try Self.canonical(mine["rows"]) == Self.canonical(theirs["rows"]), "\(mine["name"] ?? "")")
            }
        }
    }

    @Test func theCSVExportIsOneFilePerSheetInAFolderOrAZip() async throws {
        try await TestDatabase.withStore { store in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-csv-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try await Self.export(store, format: .csv, to: folder.path)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(names == ["主管单位汇总.csv", "包销.csv", "单位.csv", "地区汇总.csv", "封面.csv"].sorted())
            let units = try Data(contentsOf: folder.appendingPathComponent("单位.csv"))
            #expect(Array(units.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = String(decoding: units.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.first?.hasPrefix("统一社会信用代码,单位名称,地区代码,地区名称,层级,主管单位代码,主管单位,申报状态,"
                                            + "食堂食材预留份额（canteen-reserve-10）·基数,") == true)
            #expect(lines.contains { $0.hasPrefix("\(Fixtures.unitA),示例单位甲,140603,平鲁区,区级,,,逾期申报,101000.00,10100.00,14500.00,14.36%,0.00,达标,") })

            // A path ending in .zip gets the same files zipped.
            let zip = folder.appendingPathComponent("assessment.zip")
            _ = try await Operations(store: store).exportAssessment(
                ReportScope(year: 2024, asOf: Self.asOf), format: .csv, to: zip.path, by: .commandLine(user: "tests"))
            let archive = try Archive(url: zip, accessMode: .read)
            #expect(Set(archive.map(\.path)) == Set(names))
            var zipped = Data()
            _ = try archive.extract(try #require(archive["单位.csv"])) { zipped.append($0) }
            #expect(zipped == units)
        }
    }

    @Test func theAPIAnswersTheWorkbookOrAZipWithAFileName() async throws {
        try await APIWorld.with { world, client, _ in
            let path = "/api/v1/assessments/2024?region=140000&asOf=2025-03-01"
            let xlsx = try await client.call(.get, path + "&format=xlsx", token: world.tokens["inspectorShanxi"])
            #expect(xlsx.status == 200)
            #expect(xlsx.headers[.contentType] == AssessmentFormat.xlsx.contentType)
            #expect(xlsx.headers[.contentDisposition] == "attachment; filename=\"assessment-2024-140000.xlsx\"")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-api-\(UUID().uuidString).xlsx")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(xlsx.bytes).write(to: file)
            let units = try Self.read(file.path, with: "openpyxl").first { $0["name"] as? String == "单位" }
            #expect((units?["rows"] as? [[Any]])?.dropFirst(2).compactMap { $0.first as? String } == [Fixtures.unitC, Fixtures.unitA])
            let zip = try await client.call(.get, path + "&format=csv", token: world.tokens["inspectorShanxi"])
            #expect(zip.status == 200 && zip.headers[.contentType] == "application/zip")
            let archive = try Archive(data: Data(zip.bytes), accessMode: .read)
            #expect(archive.map(\.path).sorted() == ["主管单位汇总.csv", "包销.csv", "单位.csv", "地区汇总.csv", "封面.csv"].sorted())
            let json = try await client.call(.get, path + "&format=json", token: world.tokens["inspectorShanxi"])
            #expect(json.status == 200 && (json.object["units"] as? [Any])?.count == 2)
            #expect(try await client.call(.get, path + "&format=pdf", token: world.tokens["inspectorShanxi"]).status == 422)
            #expect(try await client.call(.get, path + "&format=xlsx", token: world.tokens["clerkA"]).status == 403)
        }
    }

    @Test func theCommandLineTakesTheFormatFromTheFileNameAndRefusesFilesWithoutOut() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try CLITests.write(Fixtures.all)
            defer { try? FileManager.default.removeItem(at: folder) }
            for (kind, _) in Fixtures.all {
                #expect(try CLITests.run(["import", kind.rawValue, "\(kind.rawValue).csv"], url: url, in: folder).status == 0)
            }
            let out = folder.appendingPathComponent("assessment-2024.xlsx")
            let result = try CLITests.run(["export", "assessment", "--year", "2024", "--as-of", "2025-03-01", "--out", out.path], url: url)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("(xlsx): 3 units"))
            // Not a terminal: no progress line.
            #expect(!result.stderr.contains("\r"))
            let sheets = try Self.read(out.path, with: "openpyxl")
            #expect((sheets.first { $0["name"] as? String == "单位" }?["rows"] as? [Any])?.count == 5)
            let refused = try CLITests.run(["export", "assessment", "--year", "2024", "--format", "xlsx"], url: url)
            #expect(refused.status != 0 && refused.stderr.contains("--out"))
            let badFolder = try CLITests.run(["export", "assessment", "--year", "2024", "--out", "/nonexistent/dir/a.xlsx"], url: url)
            #expect(badFolder.status != 0 && badFolder.stderr.contains("/nonexistent/dir/a.xlsx"))
        }
    }
}
