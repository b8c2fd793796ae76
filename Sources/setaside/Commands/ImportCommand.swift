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
            The file is UTF-8 (a byte-order mark is fine) or GB18030 (GBK), with a header row naming \
            the columns of its kind in any order (docs/formats.md). The encoding is found from the \
            bytes: GB18030 only when the file is not UTF-8 and reads as Chinese text, and the \
            command says when it read a file as GB18030; a UTF-8 file with a broken character is \
            refused naming its line and byte. --encoding names the encoding instead. The import is one transaction: \
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

    @Option(help: ArgumentHelp("The file's encoding: utf-8 or gb18030 (gbk); found from the bytes when not given.",
                               valueName: "encoding"))
    var encoding: TextEncoding?

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
            try await operations.importFile(kind, bytes: bytes, encoding: encoding, by: caller)
        }
        for warning in summary.warnings { printError("warning: \(warning)") }
        let readAs = summary.encoding == .utf8 ? "" : " (read as \(summary.encoding.label))"
        print("Imported \(summary.kind.rawValue) from \(file)\(readAs): \(summary.rows) rows, "
              + "\(summary.inserted) stored, \(summary.unchanged) already stored unchanged"
              + (summary.statusChanges > 0 ? ", \(summary.statusChanges) status changes booked." : "."))
    }
}

extension ImportKind: ExpressibleByArgument {}

extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { ["utf-8", "gb18030"] }
}
