import Foundation
import ArgumentParser
import SetasideCore
import SetasideOperations
import SetasideStore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports on the ledger.",
        subcommands: [ComplianceReportCommand.self, NoticeReportCommand.self])
}

struct ComplianceReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance",
        abstract: "Evaluate every unit in scope under the policy packs in force for its region and year.",
        discussion: """
            Each rule of each pack that applies is reported as met, short or notApplicable, with \
            its base, the required and actual amounts, the shortfall and the ratio. Units that \
            fall short are not an error: the exit code is 0 unless the report cannot be made.

            Examples:
              setaside report compliance --year 2024
              setaside report compliance --year 2024 --region 140603 --format csv > pinglu.csv
              setaside report compliance --year 2024 --unit 91110000101623741K --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @Option(help: "The calendar year to assess.")
    var year: Int

    @Option(help: ArgumentHelp("Only this unit (its unified social credit code).", valueName: "credit-code"))
    var unit: String?

    @Option(help: ArgumentHelp("Only units in this region or under it (a division code).", valueName: "code"))
    var region: String?

    @Option(help: ArgumentHelp(
        "Only this supervising unit (主管预算单位) and every unit below it; the report ends with the roll-up by supervising unit.",
        valueName: "credit-code"))
    var supervising: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The day the report is made (default: today in China's time; none for a year not begun). While it falls in --year, only purchases dated up to it count, and share rules also show the ratio the year would end with at the pace so far.",
        valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: "Output format: table (for people), csv or json.")
    var format: Format = .table

    @Flag(help: ArgumentHelp(
        "Print the ledger aggregate the report runs, as a psql script for the same scope, and exit.",
        visibility: .hidden))
    var showSQL = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard (2000...2999).contains(year) else { throw ValidationError("--year \(year) is not a year between 2000 and 2999") }
        if let unit { _ = try parse { try CreditCode(parsing: unit) } }
        if let region { _ = try parse { try DivisionCode(parsing: region) } }
        if let supervising { _ = try parse { try CreditCode(parsing: supervising) } }
        if let asOf { _ = try parse { try CalendarDate(parsingISO: asOf) } }
    }

    private func parse<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw ValidationError("\(error)") }
    }

    func run() async throws {
        let scope = ReportScope(
            year: year,
            unit: try unit.map { code in try parse { try CreditCode(parsing: code) }.text },
            region: try region.map { code in try parse { try DivisionCode(parsing: code) }.text },
            supervising: try supervising.map { code in try parse { try CreditCode(parsing: code) }.text },
            asOf: try asOf.map { day in try parse { try CalendarDate(parsingISO: day) } }
                ?? CalendarDate.reportDay(year: year, unixSeconds: Int64(Date().timeIntervalSince1970)))
        if showSQL {
            print(Store.bucketScript(scope))
            return
        }
        let caller = connection.caller
        let report = try await connection.withOperations { operations in
            try await operations.complianceReport(scope, by: caller)
        }
        switch format {
        case .table: print(report.table(), terminator: "")
        case .csv: print(report.csv(), terminator: "")
        case .json: print(report.json(), terminator: "")
        }
    }
}
