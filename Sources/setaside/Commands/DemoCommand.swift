import ArgumentParser
import Foundation
import SetasideCore
import SetasideOperations
import SetasideStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load a clearly synthetic data set: units, plans and purchases that meet and miss every rule.",
        discussion: """
            The units (named 【示例】…) sit under the jurisdictions of the shipped packs \
            (平鲁区, 玉溪市, 大理州) and under counties only the national baseline governs; \
            townships and villages are invented. The data goes through the same import as \
            any file, so loading it twice changes nothing. With --output the CSV files are \
            written to a folder instead (for the benchmark, or to look at the formats).

            Examples:
              setaside demo
              setaside demo --units 10000 --purchases 1000000 --output bench-data
            """)

    @Option(help: "How many units.")
    var units = 300

    @Option(help: "About how many purchases in all.")
    var purchases = 30_000

    @Option(help: "The year of the plans and purchases.")
    var year = 2024

    @Option(help: "The seed: the same seed makes the same data.")
    var seed: UInt64 = 832

    @Option(help: ArgumentHelp("Write the CSV files to this folder instead of loading them.", valueName: "folder"))
    var output: String?

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard units > 0, purchases >= 0 else { throw ValidationError("--units must be positive and --purchases not negative") }
        guard (2001...2998).contains(year) else { throw ValidationError("--year \(year) is out of range") }
    }

    func run() async throws {
        let options = DemoProvince.Options(units: units, purchases: purchases, year: year, seed: seed)
        if let output {
            // Written as it is made, never held: a province of millions of purchases fits.
            let folder = URL(fileURLWithPath: output)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var writers: [DemoProvince.DemoFile: BufferedLineWriter] = [:]
            for file in DemoProvince.DemoFile.allCases {
                writers[file] = try BufferedLineWriter(path: folder.appendingPathComponent("\(file.rawValue).csv").path)
            }
            let returns = DemoProvince.generate(options) { file, line in writers[file]?.write(line) }
            for file in DemoProvince.DemoFile.allCases {
                try writers[file]?.close()
                print("wrote \(folder.appendingPathComponent("\(file.rawValue).csv").path)")
            }
            print("then, after importing declarations-revised.csv as declarations and purchases-later.csv as purchases, the demo's returns:")
            for r in returns {
                print("  setaside declaration return \(r.creditCode) \(r.year) --reason \"\(r.reason)\"")
            }
            return
        }
        let demo = DemoProvince(options)
        let files = demo.files + [(kind: ImportKind.declarations, csv: demo.revisions),
                                  (kind: ImportKind.purchases, csv: demo.statusUpdates)]
        guard case .commandLine(let user) = connection.caller else { return }
        let caller = Caller.commandLine(user: user + " (demo)")
        let returns = demo.returns
        let summaries = try await connection.withOperations(sealing: true) { operations in
            var summaries: [ImportSummary] = []
            for (kind, csv) in files {
                summaries.append(try await operations.importFile(kind, bytes: Array(csv.utf8), by: caller))
            }
            for r in returns {
                // Run again on the same database, the latest version may be returned already.
                if try await operations.declarationHistory(of: r.creditCode, year: r.year, by: caller).isReturned { continue }
                _ = try await operations.returnDeclaration(of: r.creditCode, year: r.year, reason: r.reason, by: caller)
            }
            return summaries
        }
        for summary in summaries {
            print("demo \(summary.kind.rawValue): \(summary.rows) rows, \(summary.inserted) stored, \(summary.unchanged) already there"
                  + (summary.statusChanges > 0 ? ", \(summary.statusChanges) status changes" : ""))
        }
        print("demo declaration returns: \(returns.count)")
        print("Now try: setaside report compliance --year \(year)")
    }
}
