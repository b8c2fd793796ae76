import Foundation
import SetasideCore
import ZIPFoundation

/// The rows of one sheet of an xlsx workbook, read as a stream: the sheet's XML is
/// inflated to a temporary file and parsed a megabyte at a time (`SheetRows`), so that a
/// sheet of hundreds of thousands of rows is never held whole. Shared strings are read
/// once. Rows are numbered by the sheet's row numbers.
public struct WorkbookSheetRows: OrderRowSource {
    private let file: FileHandle
    private var parser: SheetRows
    private var buffered: [CSVRow] = []
    private var done = false
    private var bytesRead = 0
    private let sheetBytes: Int
    /// The sheet read, by name.
    public let sheet: String

    public var encoding: TextEncoding { .utf8 }
    public var isAtEnd: Bool { buffered.isEmpty && done }
    /// How much of the sheet's XML has been parsed, in bytes.
    public var position: ReadPosition { ReadPosition(done: bytesRead, total: max(sheetBytes, bytesRead)) }

    /// Whether `bytes` look like an xlsx workbook (a zip).
    public static func isWorkbook(_ bytes: [UInt8]) -> Bool { bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// Whether `bytes` are an OLE compound file: an old xls workbook, or an xlsx protected
    /// by a password (which is stored encrypted inside one).
    public static func isCompoundFile(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    /// Opens the sheet `name` of the workbook `bytes` (default: its first sheet).
    public init(bytes: [UInt8], sheet name: String? = nil) throws(ImportError) {
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw .unreadable("the file is not a readable xlsx workbook (its zip container is damaged)")
        }
        func part(_ path: String) throws(ImportError) -> [UInt8]? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            do {
                _ = try archive.extract(entry) { data.append($0) }
            } catch {
                throw .unreadable("the workbook's part \(path) cannot be read: \(error)")
            }
            return Array(data)
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw .unreadable("the file is a zip but not an xlsx workbook (it has no xl/workbook.xml)")
        }
        let sheets = Self.sheets(workbook: workbook, relations: try part("xl/_rels/workbook.xml.rels") ?? [])
        guard let chosen = name.map({ wanted in sheets.first { $0.name == wanted } }) ?? sheets.first else {
            throw .unreadable(name.map { "the workbook has no sheet named \($0); its sheets: \(sheets.map(\.name).joined(separator: ", "))" }
                              ?? "the workbook has no sheet")
        }
        guard let entry = archive[chosen.path] else {
            throw .unreadable("the workbook's sheet \(chosen.name) is missing its part \(chosen.path)")
        }
        let shared = SheetRows.sharedStrings(try part("xl/sharedStrings.xml") ?? [])
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-sheet-\(UUID().uuidString).xml")
        do {
            _ = try archive.extract(entry, to: temporary)
            file = try FileHandle(forReadingFrom: temporary)
            // Gone from the folder at once; the open handle keeps it until it is closed.
            try? FileManager.default.removeItem(at: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw .unreadable("the workbook's sheet \(chosen.name) cannot be read: \(error)")
        }
        parser = SheetRows(sharedStrings: shared)
        sheetBytes = Int(clamping: entry.uncompressedSize)
        sheet = chosen.name
    }

    public mutating func next(_ maxRows: Int) throws(ImportError) -> [CSVRow] {
        while buffered.count < maxRows, !done {
            let chunk: Data
            do {
                chunk = try file.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw .unreadable("reading the sheet \(sheet) failed: \(error)")
            }
            if chunk.isEmpty {
                done = true
                try? file.close()
            } else {
                bytesRead += chunk.count
                buffered += parser.feed(chunk).filter { row in row.fields.contains { !$0.isEmpty } }
            }
        }
        let rows = Array(buffered.prefix(maxRows))
        buffered.removeFirst(rows.count)
        return rows
    }

    /// The sheets of a workbook in order: each name and the path of its part.
    static func sheets(workbook: [UInt8], relations: [UInt8]) -> [(name: String, path: String)] {
        var targets: [String: String] = [:]
        var events = XMLEvents()
        for case .start(let name, let attributes, _) in events.feed(relations)
        where name.hasSuffix("Relationship") {
            if let id = attributes["Id"], let target = attributes["Target"] {
                targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            }
        }
        var sheets: [(name: String, path: String)] = []
        var index = 0
        var workbookEvents = XMLEvents()
        for case .start(let name, let attributes, _) in workbookEvents.feed(workbook) where name.split(separator: ":").last == "sheet" {
            index += 1
            let id = attributes.first { $0.key.hasSuffix(":id") }?.value
            let path = id.flatMap { targets[$0] } ?? "xl/worksheets/sheet\(index).xml"
            sheets.append((attributes["name"] ?? "Sheet\(index)", path))
        }
        return sheets
    }
}
