import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import SetasideFiles
import Testing

/// 832-platform order exports as clerks download them (issue 13, CSV): a title row above
/// the header, Chinese headers, origins by name, statuses by word; UTF-8 and GB18030 give
/// the same purchases; overlapping exports store their new orders and book status changes.
@Suite struct OrderExportTests {
    static let cli = Caller.commandLine(user: "tests")

    static let regions = Fixtures.regions.trimmingCharacters(in: .newlines) + """

        532900,大理白族自治州,city,530000,false
        532922,漾濞彝族自治县,county,532900,true
        532901,大理市,county,532900,false
        530411,平鲁区,county,530400,false

        """

    /// Loads the fixtures' units with the Dali regions (and a second 平鲁区).
    static func load(_ store: Store) async throws {
        let operations = Operations(store: store)
        _ = try await operations.importFile(.regions, bytes: Array(regions.utf8), by: cli)
        _ = try await operations.importFile(.units, bytes: Array(Fixtures.units.utf8), by: cli)
    }

    static let header = "订单编号,下单时间,采购单位,店铺名称,商品名称,产地,订单金额,实付金额,退款金额,订单状态"

    /// E1 by the full path; E2 by the buyer's credit code and a short path; E3 unpaid, the
    /// amount from 订单金额 (实付金额 empty); E4 by code, partly refunded.
    static var export: String {
        """
        832平台订单导出（2024年）

        \(header)
        E1,2024-03-01 10:12:00,示例单位甲,漾濞合作社,核桃,云南省大理白族自治州漾濞彝族自治县,"¥1,200.00",￥1200.00,,交易成功
        E2,2024/3/5,\(Fixtures.unitA),漾濞合作社,核桃,大理州漾濞县,500,500,,已完成
        E3,2024年3月9日,示例单位甲,漾濞合作社,核桃,漾濞县,300,,,待付款
        E4,2024-04-01 08:00,示例单位甲,漾濞合作社,核桃,532922,800,800,200,部分退款

        """
    }

    static func gb18030(_ text: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(bytes)
    }

    static func purchases(_ store: Store) async throws -> [String] {
        try await store.client.query("""
            SELECT order_no || ' ' || order_date || ' ' || origin_code || ' ' || amount || ' ' || status || ' '
                   || coalesce(reversal_of, '-') || ' ' || coalesce(product, '-')
            FROM purchases ORDER BY order_no
            """).collect().map { try $0.decode(String.self) }
    }

    @Test func theSameOrdersInUTF8AndGB18030AreTheSamePurchases() async throws {
        try await TestDatabase.withStore { store in
            try await Self.load(store)
            let operations = Operations(store: store)
            let utf8 = try await operations.importOrderExport(bytes: [0xEF, 0xBB, 0xBF] + Array(Self.export.utf8), unit: nil, by: Self.cli)
            #expect(utf8.inserted == 5 && utf8.unchanged == 0)
            #expect(try await Self.purchases(store) == [
                "E1 2024-03-01 532922 120000 completed - 核桃",
                "E2 2024-03-05 532922 50000 completed - 核桃",
                "E3 2024-03-09 532922 30000 pending - 核桃",
                "E4 2024-04-01 532922 80000 completed - 核桃",
                "E4-R 2024-04-01 532922 -20000 completed E4 核桃",
            ])
            let gb = try await operations.importOrderExport(bytes: try Self.gb18030(Self.export), unit: Fixtures.unitA, by: Self.cli)
            #expect(gb.encoding == .gb18030)
            #expect(gb.inserted == 0 && gb.unchanged == 5)
        }
    }

    @Test func aLaterExportStoresItsNewOrdersAndBooksTheStatusChanges() async throws {
        try await TestDatabase.withStore { store in
            try await Self.load(store)
            let operations = Operations(store: store)
            _ = try await operations.importOrderExport(bytes: Array(Self.export.utf8), unit: nil, by: Self.cli)
            // A month later: E1 refunded, E3 paid, E5 new; E2 and E4 as they were.
            let later = """
                \(Self.header)
                E1,2024-03-01 10:12:00,示例单位甲,漾濞合作社,核桃,云南省大理白族自治州漾濞彝族自治县,1200,1200,1200,已退款
                E2,2024/3/5,\(Fixtures.unitA),漾濞合作社,核桃,大理州漾濞县,500,500,,已完成
                E3,2024年3月9日,示例单位甲,漾濞合作社,核桃,漾濞县,300,300,,交易成功
                E4,2024-04-01 08:00,示例单位甲,漾濞合作社,核桃,532922,800,800,200,部分退款
                E5,2024-05-02,示例单位甲,漾濞合作社,核桃,漾濞县,100,100,,已签收

                """
            // First a dry run: the same counts, nothing kept.
            let before = try await Self.purchases(store)
            let dry = try await operations.importOrderExport(bytes: Array(later.utf8), unit: nil, dryRun: true, by: Self.cli)
            #expect(dry.dryRun && dry.inserted == 1 && dry.statusChanges == 2 && dry.unchanged == 3)
            #expect(try await Self.purchases(store) == before)
            #expect(try await store.client.query("SELECT count(*) FROM purchase_status_changes").collect().first?.decode(Int.self) == 0)
            let summary = try await operations.importOrderExport(bytes: Array(later.utf8), unit: nil, by: Self.cli)
            #expect(summary.inserted == 1 && summary.statusChanges == 2 && !summary.dryRun)
            let statuses = try await store.client.query("""
                SELECT order_no || ' ' || from_status || '>' || to_status FROM purchase_status_changes ORDER BY order_no
                """).collect().map { try $0.decode(String.self) }
            #expect(statuses == ["E1 completed>refunded", "E3 pending>completed"])
        }
    }

    @Test func aBadExportStoresNothingAndNamesEveryBadRowByItsHeader() async throws {
        try await TestDatabase.withStore { store in
            try await Self.load(store)
            let bad = """
                \(Self.header)
                B1,2024-03-01,示例单位甲,,,平鲁区,100,100,,已完成
                B2,2024-03-02,示例单位甲,,,漾濞县,100,100,,处理中
                B3,2024-03-03,示例单位甲,,,漾濞县,abc,,,已完成
                B4,2024-13-03,示例单位乙丁,,,漾濞县,100,100,,已完成
                B5,2024-03-05,示例单位甲,,,漾濞县,100,100,,已完成

                """
            do {
                _ = try await Operations(store: store).importOrderExport(bytes: Array(bad.utf8), unit: nil, by: Self.cli)
                Issue.record("a bad export was stored")
            } catch let error as ImportError {
                guard case .rejected(let problems) = error else { Issue.record("\(error)"); return }
                let text = problems.map(\.description).joined(separator: "\n")
                #expect(Set(problems.map(\.line)) == [2, 3, 4, 5], "\(text)")
                #expect(text.contains("产地") && text.contains("140603 山西省朔州市平鲁区") && text.contains("530411 云南省玉溪市平鲁区"))
                #expect(text.contains("订单状态") && text.contains("处理中"))
                #expect(text.contains("实付金额") || text.contains("订单金额"))
                #expect(text.contains("下单时间") && text.contains("采购单位"))
            }
            #expect(try await Self.purchases(store).isEmpty)
            // Not an export at all: one clear error.
            await #expect(throws: ImportError.self) {
                _ = try await Operations(store: store).importOrderExport(bytes: Array("a,b\n1,2\n".utf8), unit: nil, by: Self.cli)
            }
        }
    }

    @Test func theCommandLineImportsAnExportForAUnit() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try CLITests.write([(.regions, Self.regions), (.units, Fixtures.units)])
            defer { try? FileManager.default.removeItem(at: folder) }
            for kind in ["regions", "units"] {
                #expect(try CLITests.run(["import", kind, "\(kind).csv"], url: url, in: folder).status == 0)
            }
            // No buyer column: --unit names the unit.
            let export = folder.appendingPathComponent("832订单.csv")
            try Data(try Self.gb18030("""
                订单编号,下单时间,店铺名称,产地,实付金额,订单状态
                C1,2024-03-01,漾濞合作社,漾濞县,88.80,交易成功

                """)).write(to: export)
            let refused = try CLITests.run(["import", "orders832", export.path], url: url)
            #expect(refused.status != 0 && refused.stderr.contains("--unit"))
            // A dry run with a bad row: each class counted, the row refused named.
            let mixed = folder.appendingPathComponent("mixed.csv")
            try Data("""
                订单编号,下单时间,店铺名称,产地,实付金额,订单状态
                M1,2024-03-01,漾濞合作社,漾濞县,10,交易成功
                M2,2024-03-02,漾濞合作社,漾濞县,10,处理中

                """.utf8).write(to: mixed)
            let dry = try CLITests.run(["import", "orders832", mixed.path, "--unit", Fixtures.unitA, "--dry-run"], url: url)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("1  would be stored") && dry.stdout.contains("1  rows refused")
                    && dry.stdout.contains("line 3") && dry.stdout.contains("处理中"), "\(dry.stdout)")
            let done = try CLITests.run(["import", "orders832", export.path, "--unit", Fixtures.unitA], url: url)
            #expect(done.status == 0, "\(done.stderr)")
            #expect(done.stdout.contains("(read as gb18030)") && done.stdout.contains("1 stored"), "\(done.stdout)")
            #expect(try CLITests.run(["import", "purchases", export.path, "--unit", Fixtures.unitA], url: url).status != 0)
        }
    }

    /// The export as an xlsx made by openpyxl: shared strings, the times as dates (serial
    /// numbers), the amounts as numbers, a title row above the header.
    static func openpyxlWorkbook(_ path: String) throws {
        let script = """
            import datetime, openpyxl, sys
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = "订单"
            sheet.append(["832平台订单导出（2024年）"])
            sheet.append("\(Self.header)".split(","))
            sheet.append(["E1", datetime.datetime(2024, 3, 1, 10, 12), "示例单位甲", "漾濞合作社", "核桃", "云南省大理白族自治州漾濞彝族自治县", 1200, 1200.0, None, "交易成功"])
            sheet.append(["E2", datetime.datetime(2024, 3, 5), "\(Fixtures.unitA)", "漾濞合作社", "核桃", "大理州漾濞县", 500, 500, None, "已完成"])
            sheet.append(["E3", "2024年3月9日", "示例单位甲", "漾濞合作社", "核桃", "漾濞县", 300, None, None, "待付款"])
            sheet.append(["E4", datetime.date(2024, 4, 1), "示例单位甲", "漾濞合作社", "核桃", 532922, 800, 800, 200, "部分退款"])
            book.save(sys.argv[1])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let err = Pipe()
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus == 0, "openpyxl (scripts/test.sh installs it): \(problem)")
    }

    /// `path` converted to an xls by LibreOffice (scripts/test.sh installs it); the new path.
    static func convertToXLS(_ path: String, in folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["soffice", "--headless", "--convert-to", "xls", "--outdir", folder.path, path]
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.path
        process.environment = environment
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        let out = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("xls").lastPathComponent
        let converted = folder.appendingPathComponent(out).path
        try #require(process.terminationStatus == 0 && FileManager.default.fileExists(atPath: converted),
                     "LibreOffice did not convert \(path) to xls")
        return converted
    }

    @Test func xlsxAndXlsExportsGiveTheSamePurchasesAsTheirCSV() async throws {
        try await TestDatabase.withStore { store in
            try await Self.load(store)
            let operations = Operations(store: store)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-832-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let shared = folder.appendingPathComponent("openpyxl.xlsx").path
            try Self.openpyxlWorkbook(shared)
            let first = try await operations.importOrderExport(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: shared))),
                                                               unit: nil, by: Self.cli)
            #expect(first.inserted == 5, "\(first)")
            let stored = try await Self.purchases(store)
            // The CSV of the same orders: nothing new, nothing different.
            let csv = try await operations.importOrderExport(bytes: Array(Self.export.utf8), unit: nil, by: Self.cli)
            #expect(csv.inserted == 0 && csv.unchanged == 5)
            #expect(try await Self.purchases(store) == stored)
            // The same rows in a workbook of inline strings (as setaside writes them), on its
            // second sheet, named.
            let rows = Self.export.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            // E1's quoted "¥1,200.00" was split at its comma: joined again.
            let quoted = rows.map { row in row.count > 10 ? Array(row[0...5]) + [row[6] + "," + row[7]] + Array(row[8...]) : row }
            let cells = quoted.map { $0.map { SheetCell.text($0.replacingOccurrences(of: "\"", with: "")) } }
            let inline = folder.appendingPathComponent("inline.xlsx").path
            try WorkbookWriter().write([
                Sheet(name: "说明", columns: [SheetColumn("说明")], rowCount: 1) { _ in [.text("见下一页")] },
                Sheet(name: "订单", columns: cells[0].map { _ in SheetColumn("") }, rowCount: cells.count - 1) { cells[$0 + 1] }
                    .withHeader(cells[0]),
            ], to: inline)
            let again = try await operations.importOrderExport(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: inline))),
                                                               sheet: "订单", unit: nil, by: Self.cli)
            #expect(again.inserted == 0 && again.unchanged == 5, "\(again)")
            await #expect(throws: ImportError.self) {
                _ = try await operations.importOrderExport(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: inline))),
                                                           sheet: "没有", unit: nil, by: Self.cli)
            }
            // The openpyxl workbook saved as an old xls by LibreOffice: the same purchases.
            let converted = try Self.convertToXLS(shared, in: folder)
            let xls = try await operations.importOrderExport(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: converted))),
                                                             unit: nil, by: Self.cli)
            #expect(xls.inserted == 0 && xls.unchanged == 5, "\(xls)")
            #expect(try await Self.purchases(store) == stored)
            // A compound file that is no workbook is one clear error.
            await #expect(throws: ImportError.self) {
                _ = try await operations.importOrderExport(bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504),
                                                           unit: nil, by: Self.cli)
            }
        }
    }
}

extension OrderExportTests {
    @Test func clerksUploadTheirUnitsExportThroughTheAPIWithADryRunFirst() async throws {
        try await APIWorld.with { world, client, store in
            let export = """
                订单编号,下单时间,店铺名称,产地,实付金额,订单状态
                W1,2024-06-01,平鲁合作社,山西省朔州市平鲁区,66.60,交易成功
                W2,2024-06-02,平鲁合作社,平鲁区,33.30,待付款

                """
            let path = "/api/v1/units/\(Fixtures.unitA)/orders832"
            let headers = ["Content-Type": "text/csv; charset=utf-8"]
            let dry = try await client.call(.post, path + "?dryRun=true", token: world.tokens["clerkA"], body: export, headers: headers)
            #expect(dry.status == 200, "\(dry.text)")
            #expect(dry.object["stored"] as? Int == 2 && dry.object["dryRun"] as? Bool == true)
            let stored = try await client.call(.post, path, token: world.tokens["clerkA"], body: export, headers: headers)
            #expect(stored.status == 201 && stored.object["stored"] as? Int == 2, "\(stored.text)")
            let again = try await client.call(.post, path, token: world.tokens["clerkA"], body: export, headers: headers)
            #expect(again.status == 200 && again.object["unchanged"] as? Int == 2)
            // Another unit's clerk, a bad channel, a file that is no export.
            #expect(try await client.call(.post, path, token: world.tokens["clerkB"], body: export, headers: headers).status == 403)
            #expect(try await client.call(.post, path + "?channel=directed", token: world.tokens["clerkA"], body: export, headers: headers).status == 422)
            #expect(try await client.call(.post, path, token: world.tokens["clerkA"], body: "a,b\n1,2\n", headers: headers).status == 422)
            let count = try await store.client.query("SELECT count(*) FROM purchases WHERE order_no IN ('W1', 'W2')").collect()
            #expect(try count.first?.decode(Int.self) == 2)
        }
    }
}

extension Sheet {
    /// The sheet with `cells` as its header row (the column headers).
    func withHeader(_ cells: [SheetCell]) -> Sheet {
        var sheet = self
        sheet.columns = cells.map { cell in
            if case .text(let text) = cell { return SheetColumn(text) }
            return SheetColumn("")
        }
        return sheet
    }
}
