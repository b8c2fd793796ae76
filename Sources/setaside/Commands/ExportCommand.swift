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
                The figures are those of `setaside report compliance`, computed by the same code. \
                When the year has been frozen for the region (`setaside assessment freeze`), the export \
                shows the latest snapshot's figures and says so; --live (or --as-of) shows today's, and \
                --changes lists what moved since the freeze.

                Examples:
                  setaside export assessment --year 2024 --region 140000 --out assessment-2024.xlsx
                  setaside export assessment --year 2024 --region 140000 --format csv --out assessment-2024/
                  setaside export assessment --year 2024 --region 140000 --format json
                  setaside export assessment --year 2024 --region 140000 --changes
                """)

        @OptionGroup var scope: YearScopeOptions

        @Option(help: ArgumentHelp(
            "xlsx (a workbook), csv (one file per sheet, in the folder --out names, or a zip when it ends in .zip) or json. Default: from --out's ending (.xlsx, .zip, .json), else json.",
            valueName: "format"))
        var format: AssessmentFormat?

        @Option(help: ArgumentHelp("The file (or, for csv, the folder or .zip) to write; json may go to standard output.",
                                   valueName: "path"))
        var out: String?

        @Flag(help: "Show no progress line on standard error.")
        var quiet = false

        @Flag(help: "Today's figures even when a snapshot of the year covers the region.")
        var live = false

        @Flag(help: "List what moved since the latest snapshot: each unit whose result or figures changed (result changes first), with the purchases, reversals, findings and status changes booked after the freeze (a text, or JSON with --format json).")
        var changes = false

        @OptionGroup var connection: ConnectionOptions

        func validate() throws {
            if changes, live {
                throw ValidationError("--changes compares the snapshot with today's figures: leave out --live")
            }
            if changes, chosenFormat == .xlsx || format == .csv {
                throw ValidationError("--changes is a text or, with --format json, JSON")
            }
            if !changes, chosenFormat != .json, out == nil {
                throw ValidationError("--format \(chosenFormat.rawValue) writes files: name them with --out")
            }
        }

        /// The format asked for, or the one `--out`'s ending names.
        var chosenFormat: AssessmentFormat {
            if let format { return format }
            let name = out?.lowercased() ?? ""
            if name.hasSuffix(".xlsx") { return .xlsx }
            if name.hasSuffix(".zip") { return .csv }
            return .json
        }

        func run() async throws {
            let scope = try scope.reportScope()
            let caller = connection.caller
            let format = chosenFormat
            // A day asked for is a live view: a snapshot holds the figures of its own day.
            let live = live || self.scope.asOf != nil
            if changes {
                let found = try await connection.withOperations { try await $0.assessmentChanges(scope, by: caller) }
                try emit(self.format == .json ? found.json() : found.text())
                return
            }
            guard let out else {
                try emit(try await connection.withOperations { try await $0.assessmentJSON(scope, by: caller, live: live) })
                return
            }
            let progress = ProgressLine(quiet: quiet)
            progress.step("computing the figures")
            let summary = try await connection.withOperations {
                try await $0.exportAssessment(scope, format: format, to: out, by: caller, live: live) {
                    progress.update($0.sheet, done: $0.done, total: $0.total)
                }
            }
            progress.finish()
            printError("wrote \(out) (\(format.rawValue)): \(summary.units) units, \(summary.regions) regions, "
                       + "packing rows: \(summary.packing); \(summary.figures.englishText)")
        }

        /// Writes `text` to --out, or to standard output.
        func emit(_ text: String) throws {
            if let out {
                try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } else {
                print(text, terminator: "")
            }
        }
    }
}

extension AssessmentFormat: ExpressibleByArgument {}
