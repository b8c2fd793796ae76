import CFreeXL
import Foundation
import SetasideCore

/// The rows of one sheet of an old xls workbook (BIFF), read with libfreexl: texts as
/// written, numbers as numbers, dates and times as `YYYY-MM-DD HH:MM:SS`. Rows are
/// numbered as the sheet shows them (from 1).
public final class OldWorkbookRows: OrderRowSource {
    private var handle: UnsafeRawPointer?
    private let rowCount: UInt32
    private let columnCount: UInt16
    private var nextRow: UInt32 = 0
    /// The sheet read, by name.
    public let sheet: String

    public var encoding: TextEncoding { .utf8 }
    public var isAtEnd: Bool { nextRow >= rowCount }
    public var position: ReadPosition { ReadPosition(done: Int(nextRow), total: Int(rowCount)) }

    /// Opens the sheet `name` of the xls workbook `bytes` (default: its first sheet).
    public init(bytes: [UInt8], sheet name: String? = nil) throws(ImportError) {
        // libfreexl reads a file: the bytes go to a temporary one, removed once open.
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-\(UUID().uuidString).xls")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw .unreadable("the workbook could not be written to a temporary file")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        var opened: UnsafeRawPointer?
        guard freexl_open(temporary.path, &opened) == FREEXL_OK, let opened else {
            throw .unreadable("the file is not a readable xls workbook (an xlsx protected by a password is stored like one: "
                              + "save it without a password, or as CSV)")
        }
        handle = opened
        var info: UInt32 = 0
        if freexl_get_info(opened, UInt16(FREEXL_BIFF_PASSWORD), &info) == FREEXL_OK, info == UInt32(FREEXL_BIFF_OBFUSCATED) {
            freexl_close(opened)
            throw .unreadable("the workbook is protected by a password; save it without one (or as xlsx or CSV)")
        }
        var sheets: UInt32 = 0
        freexl_get_info(opened, UInt16(FREEXL_BIFF_SHEET_COUNT), &sheets)
        var names: [String] = []
        for index in 0..<UInt16(min(sheets, 1024)) {
            var text: UnsafePointer<CChar>?
            if freexl_get_worksheet_name(opened, index, &text) == FREEXL_OK, let text { names.append(String(cString: text)) } else {
                names.append("Sheet\(index + 1)")
            }
        }
        guard let index = name.map({ wanted in names.firstIndex(of: wanted) }) ?? (names.isEmpty ? nil : 0) else {
            freexl_close(opened)
            throw .unreadable(name.map { "the workbook has no sheet named \($0); its sheets: \(names.joined(separator: ", "))" }
                              ?? "the workbook has no sheet")
        }
        var rows: UInt32 = 0, columns: UInt16 = 0
        guard freexl_select_active_worksheet(opened, UInt16(index)) == FREEXL_OK,
              freexl_worksheet_dimensions(opened, &rows, &columns) == FREEXL_OK else {
            freexl_close(opened)
            throw .unreadable("the workbook's sheet \(names[index]) cannot be read")
        }
        rowCount = rows
        columnCount = columns
        sheet = names[index]
    }

    deinit {
        if let handle { freexl_close(handle) }
    }

    public func next(_ maxRows: Int) throws(ImportError) -> [CSVRow] {
        guard let handle else { return [] }
        var out: [CSVRow] = []
        while out.count < maxRows, nextRow < rowCount {
            var fields: [String] = []
            for column in 0..<columnCount {
                var cell = FreeXL_CellValue()
                guard freexl_get_cell_value(handle, nextRow, column, &cell) == FREEXL_OK else {
                    throw .unreadable("the sheet \(sheet) cannot be read at row \(nextRow + 1), column \(column + 1)")
                }
                switch Int32(cell.type) {
                case FREEXL_CELL_INT: fields.append(String(cell.value.int_value))
                case FREEXL_CELL_DOUBLE: fields.append(Self.number(cell.value.double_value))
                case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
                    fields.append(cell.value.text_value.map { String(cString: $0) } ?? "")
                default: fields.append("")
                }
            }
            nextRow += 1
            while fields.last == "" { fields.removeLast() }
            if !fields.isEmpty { out.append(CSVRow(line: Int(nextRow), fields: fields)) }
        }
        return out
    }

    /// A number as its shortest decimal text (`1200`, `1200.5`).
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
