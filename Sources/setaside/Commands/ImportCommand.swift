import ArgumentParser
import Foundation
import SetasideCore
import SetasideOperations
import SetasideStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file (regions, units, declarations, assignments, agreements, purchases), or an order export as the 832 platform gives it (orders832: xlsx, xls or CSV).",
        discussion: """
            The file is UTF-8 (a byte-order mark is fine) or GB18030 (GBK), with a header row naming \
            the columns of its kind in any order (docs/formats.md). The encoding is found from the \
            bytes: GB18030 only when the file is not UTF-8 and reads as Chinese text, and the \
            command says when it read a file as GB18030; a UTF-8 file with a broken character is \
            refused naming its line and byte. --encoding names the encoding instead. The import is one transaction: \
            a file with any bad row stores nothing, and every bad row is listed by line and field. \
            Importing the same file again changes nothing.

            Import in this order: regions, units, then the others.

            orders832 reads an order export as the platform gives it (xlsx, xls or CSV): the header is \
            the first row naming the order number (订单编号 / 订单号), every column is known by the \
            header table of docs/formats.md, origins are matched by name against the imported \
            regions, and buyers by credit code or name (--unit when the file has none). \
            --dry-run checks everything and stores nothing.

            Examples:
              setaside import regions regions.csv
              setaside import purchases orders-2024.csv
              setaside import orders832 832订单导出.csv --unit 12140603MB0000001X
            """)

    @Argument(help: ArgumentHelp("What the file holds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")), or orders832 (a platform's order export).",
                                 valueName: "kind"))
    var kind: ImportArgument

    @Argument(help: "The CSV file; - reads standard input.", completion: .file())
    var file: String

    @Option(help: ArgumentHelp("The file's encoding: utf-8 or gb18030 (gbk); found from the bytes when not given.",
                               valueName: "encoding"))
    var encoding: TextEncoding?

    @Option(help: ArgumentHelp("orders832: the unit whose orders these are (its credit code); needed when the file has no buyer column.",
                               valueName: "credit-code"))
    var unit: String?

    @Option(help: ArgumentHelp("orders832: the workbook sheet to read (default: the first).", valueName: "name"))
    var sheet: String?

    @Option(help: "orders832: the channel of the orders (platform832 or localPlatform).")
    var channel: PurchaseChannel = .platform832

    @Option(help: "orders832: the category of rows without a purpose column (采购类别 / 用途).")
    var category: PurchaseCategory = .canteenFood

    @Option(help: ArgumentHelp("orders832: the festival of festival gifts (节日慰问) whose row names none: 春节, 中秋, … or an identifier such as midAutumn.",
                               valueName: "festival"))
    var festival: String?

    @Flag(name: .customLong("dry-run"), help: "orders832: check everything and say what each row would do (stored, left, a status change booked, refused, with the reasons), storing nothing.")
    var dryRun = false

    @Flag(help: "Show no progress line on standard error (it is shown only when standard error is a terminal).")
    var quiet = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if kind != .orders832, dryRun { throw ValidationError("--dry-run is for orders832") }
        if kind != .orders832, festival != nil { throw ValidationError("--festival is for orders832") }
        if let festival, Festival.normalize(festival) == nil { throw ValidationError("--festival: \(festival) is not a festival name") }
        if kind != .orders832, unit != nil { throw ValidationError("--unit is for orders832; a purchases file names its units") }
        if let unit { do { _ = try CreditCode(parsing: unit) } catch { throw ValidationError("--unit: \(error)") } }
        if ![.platform832, .localPlatform].contains(channel) {
            throw ValidationError("--channel of an order export is platform832 or localPlatform")
        }
    }

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
        let line = ProgressLine(quiet: quiet)
        defer { line.finish() }
        if kind == .orders832 {
            let caller = connection.caller, unit = try unit.map { try CreditCode(parsing: $0).text }
            let channel = channel, category = category, sheet = sheet, dryRun = dryRun, festival = festival
            let summary = try await connection.withOperations(sealing: true) { operations in
                try await operations.importOrderExport(bytes: bytes, encoding: encoding, sheet: sheet, unit: unit, channel: channel,
                                                       category: category, festival: festival, dryRun: dryRun, by: caller,
                                                       progress: { line.update($0) })
            }
            line.finish()
            report(summary)
            return
        }
        guard case .kind(let kind) = kind else { return }
        let caller = connection.caller
        let logger = connection.logger
        let started = ContinuousClock.now
        let parsedBytes = bytes.count
        logger.info("import \(kind.rawValue): read \(parsedBytes) bytes")
        defer { logger.info("import \(kind.rawValue): done in \(ContinuousClock.now - started)") }
        let summary = try await connection.withOperations(sealing: true) { operations in
            try await operations.importFile(kind, bytes: bytes, encoding: encoding, by: caller, progress: { line.update($0) })
        }
        line.finish()
        report(summary)
    }

    func report(_ summary: ImportSummary) {
        for warning in summary.warnings { printError("warning: \(warning)") }
        let readAs = summary.encoding == .utf8 ? "" : " (read as \(summary.encoding.label))"
        if summary.dryRun {
            let classes = [(summary.inserted, "would be stored (new orders and reversals)"),
                           (summary.unchanged, "already stored the same: left as they are"),
                           (summary.statusChanges, "stored in another status: the change would be booked"),
                           (summary.refusedRows, "rows refused")]
            let width = classes.map { ProgressLine.grouped($0.0).count }.max() ?? 1
            print("Dry run of \(file)\(readAs): nothing was stored.")
            for (count, label) in classes {
                let number = ProgressLine.grouped(count)
                print("  " + String(repeating: " ", count: width - number.count) + number + "  " + label)
            }
            for problem in summary.refused { print("    \(problem)") }
            if summary.refusedRows > 0 { print("The refused rows would refuse the whole file: correct them, then import it.") }
            return
        }
        print("Imported \(summary.kind.rawValue) from \(file)\(readAs): \(summary.rows) rows, "
              + "\(summary.inserted) stored, \(summary.unchanged) already stored unchanged"
              + (summary.statusChanges > 0 ? ", \(summary.statusChanges) status changes booked." : "."))
    }
}

extension ImportKind: ExpressibleByArgument {}

/// What `setaside import` reads: a file of one of setaside's kinds, or an order export.
enum ImportArgument: ExpressibleByArgument, Equatable {
    case kind(ImportKind)
    case orders832

    init?(argument: String) {
        if argument == "orders832" {
            self = .orders832
        } else if let kind = ImportKind(rawValue: argument) {
            self = .kind(kind)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ImportKind.allCases.map(\.rawValue) + ["orders832"] }
}

extension PurchaseChannel: ExpressibleByArgument {}
extension PurchaseCategory: ExpressibleByArgument {}

extension TextEncoding: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { ["utf-8", "gb18030"] }
}
