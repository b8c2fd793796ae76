import ArgumentParser
import Foundation
import SetasideCore
import SetasideOperations
import SetasideStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file: regions, units, declarations, assignments, agreements or purchases.",
        discussion: """
            The file is UTF-8 (a byte-order mark is fine) or GB18030, with a header row naming \
            the columns of its kind in any order (docs/formats.md). The import is one transaction: \
            a file with any bad row stores nothing, and every bad row is listed by line and field. \
            Importing the same file again changes nothing.

            Import in this order: regions, units, then the others.

            Examples:
              setaside import regions regions.csv
              setaside import purchases orders-2024.csv
            """)

    @Argument(help: ArgumentHelp("What the file holds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).",
                                 valueName: "kind"))
    var kind: ImportKind

    @Argument(help: "The CSV file; - reads standard input.", completion: .file())
    var file: String

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let bytes: [UInt8]
        if file == "-" {
            bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file): no such file, or not readable")
            }
            bytes = Array(data)
        }
        let kind = kind
        let caller = connection.caller
        let logger = connection.logger
        let started = ContinuousClock.now
        let parsedBytes = bytes.count
        logger.info("import \(kind.rawValue): read \(parsedBytes) bytes")
        defer { logger.info("import \(kind.rawValue): done in \(ContinuousClock.now - started)") }
        let summary = try await connection.withOperations(sealing: true) { operations in
            try await operations.importFile(kind, bytes: bytes, by: caller)
        }
        for warning in summary.warnings { printError("warning: \(warning)") }
        let encoding = summary.encoding == .utf8 ? "" : " (read as \(summary.encoding.rawValue))"
        print("Imported \(summary.kind.rawValue) from \(file)\(encoding): \(summary.rows) rows, "
              + "\(summary.inserted) stored, \(summary.unchanged) already stored unchanged.")
    }
}

extension ImportKind: ExpressibleByArgument {}
