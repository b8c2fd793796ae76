import ArgumentParser
import Foundation
import SetasideCore
import SetasideOperations
import SetasideStore

/// `setaside report notice`: the circulated notice (通报) on the canteen reservation.
struct NoticeReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notice",
        abstract: "The notice (通报) of a region: who has declared, started and met the canteen rule, rankings, and the units named.",
        discussion: """
            Counts (units, with a canteen, declared, not declared — 无食堂 units excluded —, declared but \
            not started, meeting the canteen rule, short, the sums declared, reserved and bought, and the \
            execution rate), the same by level, rankings of the regions one level down and of the units \
            by completion (eligible bought over required) with the required and encouraged shares, and \
            the units not declared, not started and short, each with its supervising unit; while the \
            year runs, the units on pace to end it short with what they need to buy each month.

            Examples:
              setaside report notice --year 2024 --region 140600
              setaside report notice --year 2024 --region 140000 --format xlsx --out 通报-2024.xlsx
            """)

    @OptionGroup var scope: YearScopeOptions

    @Option(help: "table (for people), csv (every section in one text; a .zip --out gets one file per section), json or xlsx.")
    var format: NoticeFormat = .table

    @Option(help: ArgumentHelp("The file to write (default: standard output; xlsx needs one).", valueName: "path"))
    var out: String?

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if format == .xlsx, out == nil { throw ValidationError("--format xlsx writes a workbook: name it with --out") }
    }

    func run() async throws {
        let scope = try scope.reportScope()
        let caller = connection.caller, format = format
        if let out {
            try await connection.withOperations { try await $0.exportNotice(scope, format: format, to: out, by: caller) }
            printError("wrote \(out) (\(format.rawValue))")
            return
        }
        let notice = try await connection.withOperations { try await $0.notice(scope, by: caller) }
        switch format {
        case .table: print(notice.text(), terminator: "")
        case .csv: print(notice.csv(), terminator: "")
        case .json, .xlsx: print(notice.json(), terminator: "")
        }
    }
}

extension NoticeFormat: ExpressibleByArgument {}
