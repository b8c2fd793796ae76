import CXlsxWriter
import Foundation
import SetasideCore

/// Writes sheets as an xlsx workbook with libxlsxwriter, row by row (its constant-memory
/// mode: each row goes to a temporary file as soon as the next begins), so that a
/// province's sheets never sit in memory as cells.
///
/// Amounts are numeric cells formatted `#,##0.00`, shares numeric fractions formatted
/// `0.00%`, counts integers; each table's header is bold, frozen and filtered, and the
/// columns have their widths.
public struct WorkbookWriter: Sendable {
    public init() {}

    /// Writes `sheets` to `path`, replacing any file there. `progress` is told, every
    /// few hundred rows and at each sheet's end, the sheet's name, its rows written and
    /// its rows in all.
    public func write(_ sheets: [Sheet], to path: String,
                      progress: (_ sheet: String, _ done: Int, _ total: Int) -> Void = { _, _, _ in }) throws {
        // Written beside its place and renamed when complete: a failed export leaves no
        // half-written workbook under the name asked for.
        let partial = path + ".partial"
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: nil, use_zip64: 1)
        guard let workbook = workbook_new_opt(partial, &options) else {
            throw FileExportError.cannotCreate(path: path, reason: "libxlsxwriter could not start the workbook")
        }
        var closed = false
        defer {
            if !closed {
                workbook_close(workbook)
                unlink(partial)
            }
        }
        let formats = Formats(workbook)
        for sheet in sheets {
            guard let worksheet = workbook_add_worksheet(workbook, sheet.name) else {
                throw FileExportError.cannotCreate(path: path, reason: "the sheet name \(sheet.name) was refused")
            }
            try write(sheet, to: worksheet, formats: formats, path: path, progress: progress)
        }
        closed = true
        let status = workbook_close(workbook)
        guard status == LXW_NO_ERROR else {
            unlink(partial)
            throw FileExportError.writeFailed(path: path, reason: String(cString: lxw_strerror(status)))
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw FileExportError.writeFailed(path: path, reason: reason)
        }
    }

    private func write(_ sheet: Sheet, to worksheet: UnsafeMutablePointer<lxw_worksheet>, formats: Formats, path: String,
                       progress: (String, Int, Int) -> Void) throws {
        for (index, column) in sheet.columns.enumerated() {
            worksheet_set_column(worksheet, lxw_col_t(index), lxw_col_t(index), Double(column.width), nil)
        }
        var row: lxw_row_t = 0
        func check(_ status: lxw_error) throws {
            guard status == LXW_NO_ERROR else {
                throw FileExportError.writeFailed(
                    path: path, reason: "sheet \(sheet.name), row \(row + 1): \(String(cString: lxw_strerror(status)))")
            }
        }
        for line in sheet.preamble {
            try check(worksheet_write_string(worksheet, row, 0, line.label, formats.label))
            try write(line.value, worksheet, row, 1, formats, check)
            row += 1
        }
        if !sheet.preamble.isEmpty { row += 1 }
        if sheet.hasGroups {
            for (index, column) in sheet.columns.enumerated() {
                let startsGroup = index == 0 || sheet.columns[index - 1].group != column.group
                let text = startsGroup ? column.group ?? "" : ""
                try check(worksheet_write_string(worksheet, row, lxw_col_t(index), text,
                                                 column.group == nil ? formats.header : formats.group))
            }
            row += 1
        }
        let headerRow = row
        for (index, column) in sheet.columns.enumerated() {
            try check(worksheet_write_string(worksheet, row, lxw_col_t(index), column.header, formats.header))
        }
        row += 1
        worksheet_freeze_panes(worksheet, headerRow + 1, lxw_col_t(sheet.frozenColumns))
        let lastColumn = lxw_col_t(max(sheet.columns.count - 1, 0))
        worksheet_autofilter(worksheet, headerRow, 0, headerRow + lxw_row_t(sheet.rowCount), lastColumn)
        for index in 0..<sheet.rowCount {
            for (column, cell) in sheet.row(index).enumerated() {
                try write(cell, worksheet, row, lxw_col_t(column), formats, check)
            }
            row += 1
            if (index + 1) % 500 == 0 { progress(sheet.name, index + 1, sheet.rowCount) }
        }
        progress(sheet.name, sheet.rowCount, sheet.rowCount)
    }

    private func write(_ cell: SheetCell, _ worksheet: UnsafeMutablePointer<lxw_worksheet>, _ row: lxw_row_t,
                       _ column: lxw_col_t, _ formats: Formats, _ check: (lxw_error) throws -> Void) throws {
        switch cell {
        case .empty:
            return
        case .text(let text):
            try check(worksheet_write_string(worksheet, row, column, text, nil))
        case .integer(let value):
            try check(worksheet_write_number(worksheet, row, column, Double(value), formats.integer))
        case .money(let money):
            // The double nearest the exact amount: fen over 100, one correctly rounded division.
            try check(worksheet_write_number(worksheet, row, column, Double(money.fen) / 100, formats.money))
        case .percent:
            guard let tenThousandths = cell.percentTenThousandths else { return }
            try check(worksheet_write_number(worksheet, row, column, Double(tenThousandths) / 10_000, formats.percent))
        }
    }

    /// The workbook's cell formats.
    private struct Formats {
        let header, group, label, integer, money, percent: UnsafeMutablePointer<lxw_format>?

        init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
            header = workbook_add_format(workbook)
            format_set_bold(header)
            format_set_text_wrap(header)
            format_set_align(header, UInt8(LXW_ALIGN_CENTER.rawValue))
            format_set_align(header, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
            format_set_bg_color(header, 0xDDEBF7)
            format_set_border(header, UInt8(LXW_BORDER_THIN.rawValue))
            // A rule's name stands over its columns, centred across them (merged cells
            // do not exist in constant-memory mode).
            group = workbook_add_format(workbook)
            format_set_bold(group)
            format_set_align(group, UInt8(LXW_ALIGN_CENTER_ACROSS.rawValue))
            format_set_bg_color(group, 0xBDD7EE)
            format_set_border(group, UInt8(LXW_BORDER_THIN.rawValue))
            label = workbook_add_format(workbook)
            format_set_bold(label)
            integer = workbook_add_format(workbook)
            format_set_num_format(integer, "0")
            money = workbook_add_format(workbook)
            format_set_num_format(money, "#,##0.00")
            percent = workbook_add_format(workbook)
            format_set_num_format(percent, "0.00%")
        }
    }
}
