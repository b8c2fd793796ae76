import ArgumentParser
import Foundation
import SetasideCore
import SetasideOperations
import SetasideStore

/// Files made for the offices: the yearly assessment.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the yearly assessment (年度考核) for the assessment bodies.",
        subcommands: [AssessmentExport.self])

    struct AssessmentExport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assessment",
            abstract: "The yearly assessment of a region: every unit's rules and overall result, the roll-ups by region and by supervising unit, and the packing rows.",
            discussion: """
                The figures are those of `setaside report compliance`, computed by the same code.
                Example: setaside export assessment --year 2024 --region 140000 --out assessment-2024.json
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case json
        }

        @Option(help: "The calendar year assessed.")
        var year: Int

        @Option(help: ArgumentHelp("The region assessed and everything under it (a division code); default: every unit.",
                                   valueName: "code"))
        var region: String?

        @Option(name: .customLong("as-of"), help: ArgumentHelp(
            "The day the figures are taken on (default: today in China's time; none for a year not begun).",
            valueName: "YYYY-MM-DD"))
        var asOf: String?

        @Option(help: "Output format.")
        var format: Format = .json

        @Option(help: ArgumentHelp("The file to write (default: standard output).", valueName: "path"))
        var out: String?

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            do {
                _ = try Year(year)
                if let region { _ = try DivisionCode(parsing: region) }
                if let asOf { _ = try CalendarDate(parsingISO: asOf) }
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() async throws {
            let scope = ReportScope(
                year: year, region: try region.map { try DivisionCode(parsing: $0).text },
                asOf: try asOf.map { try CalendarDate(parsingISO: $0) }
                ?? CalendarDate.reportDay(year: year, unixSeconds: Int64(Date().timeIntervalSince1970)))
            let caller = connection.caller
            let assessment = try await connection.withOperations { try await $0.assessment(scope, by: caller) }
            let text = assessment.json()
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                printError("wrote \(out): \(assessment.report.units.count) units, \(assessment.regions.count) regions")
            } else {
                print(text, terminator: "")
            }
        }
    }
}
