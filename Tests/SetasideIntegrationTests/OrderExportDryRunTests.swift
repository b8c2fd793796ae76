import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// What a dry run of an order export says row by row (issue 13): the rows refused, with
/// their reasons, beside the counts of the others; festival gifts' festivals; and the
/// progress every import reports.
@Suite struct OrderExportDryRunTests {
    static let cli = OrderExportTests.cli
    static let header = "订单编号,下单时间,采购单位,产地,实付金额,订单状态,用途,节日"

    @Test func aDryRunListsTheRefusedRowsAndCountsTheOthers() async throws {
        try await TestDatabase.withStore { store in
            try await OrderExportTests.load(store)
            let operations = Operations(store: store)
            _ = try await operations.importOrderExport(bytes: Array("""
                \(Self.header)
                D1,2024-03-01,示例单位甲,漾濞县,100,待付款,食堂,
                D2,2024-03-02,示例单位甲,漾濞县,200,已完成,食堂,

                """.utf8), unit: nil, by: Self.cli)
            // D1 paid (a status change), D2 the same (left), D3, D5 and D6 new, D4 a bad
            // status (the file's own problem).
            let later = """
                \(Self.header)
                D1,2024-03-01,示例单位甲,漾濞县,100,已完成,食堂,
                D2,2024-03-02,示例单位甲,漾濞县,200,已完成,食堂,
                D3,2024-03-03,示例单位甲,漾濞县,300,已完成,食堂,
                D4,2024-03-04,示例单位甲,漾濞县,400,处理中,食堂,
                D5,2024-03-05,示例单位甲,漾濞县,500,已完成,食堂,
                D6,2024-03-06,示例单位甲,漾濞县,600,已完成,工会福利,

                """
            let stored = try await OrderExportTests.purchases(store)
            let dry = try await operations.importOrderExport(bytes: Array(later.utf8), unit: nil, dryRun: true, by: Self.cli)
            #expect(dry.dryRun)
            #expect(dry.refusedRows == 1 && dry.refused.map(\.line) == [5], "\(dry.refused)")
            #expect(dry.refused.first?.field == "订单状态" && dry.refused.first?.reason.contains("处理中") == true)
            #expect(dry.inserted == 3 && dry.statusChanges == 1 && dry.unchanged == 1, "\(dry)")
            #expect(try await OrderExportTests.purchases(store) == stored)
            // A real import of the same file stores nothing and names the row.
            await #expect(throws: ImportError.self) {
                _ = try await operations.importOrderExport(bytes: Array(later.utf8), unit: nil, by: Self.cli)
            }
            #expect(try await OrderExportTests.purchases(store) == stored)

            // A row clashing with what is stored (D1 with another amount) is found on the
            // pass after the file's own problems, and refused too.
            let clash = later.replacingOccurrences(of: "D1,2024-03-01,示例单位甲,漾濞县,100", with: "D1,2024-03-01,示例单位甲,漾濞县,150")
            let second = try await operations.importOrderExport(bytes: Array(clash.utf8), unit: nil, dryRun: true, by: Self.cli)
            #expect(Set(second.refused.map(\.line)) == [2, 5], "\(second.refused)")
            #expect(second.inserted == 3 && second.statusChanges == 0 && second.unchanged == 1, "\(second)")
            #expect(try await OrderExportTests.purchases(store) == stored)
        }
    }

    @Test func festivalGiftsNameTheirFestivalByColumnPurposeOrDefault() async throws {
        try await TestDatabase.withStore { store in
            try await OrderExportTests.load(store)
            let operations = Operations(store: store)
            let export = """
                \(Self.header)
                F1,2024-09-10,示例单位甲,漾濞县,100,已完成,节日慰问,中秋
                F2,2024-01-20,示例单位甲,漾濞县,200,已完成,春节慰问,
                F3,2024-06-05,示例单位甲,漾濞县,300,已完成,节日慰问,
                F4,2024-06-06,示例单位甲,漾濞县,400,已完成,食堂,端午

                """
            // F3 names no festival: refused under the 节日 column, saying what to do.
            let dry = try await operations.importOrderExport(bytes: Array(export.utf8), unit: nil, dryRun: true, by: Self.cli)
            #expect(dry.refused.map(\.line) == [4], "\(dry.refused)")
            #expect(dry.refused.first?.reason.contains("节日") == true && dry.refused.first?.field == "节日")
            // With a default festival, F3 is that festival's gift; F4's festival column is left alone.
            let summary = try await operations.importOrderExport(bytes: Array(export.utf8), unit: nil, festival: "端午", by: Self.cli)
            #expect(summary.inserted == 4)
            let rows = try await store.client.query("""
                SELECT order_no || ' ' || category || ' ' || coalesce(festival, '-') FROM purchases ORDER BY order_no
                """).collect().map { try $0.decode(String.self) }
            #expect(rows == ["F1 unionFestival midAutumn", "F2 unionFestival springFestival",
                             "F3 unionFestival dragonBoat", "F4 canteenFood -"])
        }
    }

    /// Collects an import's progress reports.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [ImportProgress] = []
        func add(_ progress: ImportProgress) { lock.lock(); list.append(progress); lock.unlock() }
        var all: [ImportProgress] { lock.lock(); defer { lock.unlock() }; return list }
    }

    @Test func everyImportReportsItsProgress() async throws {
        try await TestDatabase.withStore { store in
            let operations = Operations(store: store)
            for (kind, csv) in Fixtures.all {
                let reports = Reports()
                let summary = try await operations.importFile(kind, bytes: Array(csv.utf8), by: Self.cli, progress: reports.add)
                let all = reports.all
                // It begins with nothing read, and ends with every row.
                let first = try #require(all.first, "\(kind)")
                #expect(first.stage == .reading && first.rowsRead == 0 && first.position.done < first.position.total, "\(kind): \(first)")
                let read = try #require(all.last { $0.stage == .reading || $0.stage == .checking }, "\(kind)")
                // Every row read, the whole file.
                #expect(read.rowsRead == summary.rows && read.position.done == read.position.total && read.position.total > 0,
                        "\(kind): \(all)")
                if kind == .purchases {
                    // The orders go straight into the ledger as read; its one reversal is
                    // checked against what is stored, then stored.
                    #expect(all.contains { $0.stage == .reading && $0.rowsStored == 15 }, "\(all)")
                    #expect(all.map(\.stage).suffix(2) == [.checking, .storing], "\(all)")
                }
            }
        }
    }

    @Test func theCommandLineShowsProgressOnATerminalOnly() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try CLITests.write(Fixtures.all)
            defer { try? FileManager.default.removeItem(at: folder) }
            for (kind, _) in Fixtures.all.dropLast() {
                #expect(try CLITests.run(["import", kind.rawValue, "\(kind.rawValue).csv"], url: url, in: folder).status == 0)
            }
            // Not a terminal: no progress line.
            let piped = try CLITests.run(["import", "purchases", "purchases.csv"], url: url, in: folder)
            #expect(piped.status == 0 && !piped.stderr.contains("rows read"), "\(piped.stderr)")
            // A terminal (script(1) gives the command one): the line, then the summary.
            let command = "\(CLITests.binary.path) import purchases purchases.csv"
            let terminal = try CLITests.run(["-qec", command, "/dev/null"], url: url, in: folder, executable: "/usr/bin/script")
            #expect(terminal.status == 0, "\(terminal.stdout)")
            #expect(terminal.stdout.contains("16 rows read, 16 checked") && terminal.stdout.contains("16 already stored unchanged"),
                    "\(terminal.stdout)")
            let quiet = try CLITests.run(["-qec", command + " --quiet", "/dev/null"], url: url, in: folder, executable: "/usr/bin/script")
            #expect(quiet.status == 0 && !quiet.stdout.contains("rows read") && quiet.stdout.contains("16 already stored unchanged"),
                    "\(quiet.stdout)")
        }
    }
}
