import Foundation
import SetasideCore

/// Sheets as JSON text and back, cell by cell and typed, so that a frozen assessment is
/// written again exactly as it was exported: `[{"name", "preamble": [[label, cell]],
/// "columns": [[header, group, width]], "frozenColumns", "rows": [[cell]]}]`, a cell
/// being `null`, a text, an integer, `{"m": fen}` for an amount or `{"p": "14.36"}` for
/// a share.
public enum SheetArchive {
    public static func encode(_ sheets: [Sheet]) -> String {
        var out = "["
        for (index, sheet) in sheets.enumerated() {
            if index > 0 { out += ",\n" }
            out += "{\"name\": \(JSONText.string(sheet.name)), \"frozenColumns\": \(sheet.frozenColumns), \"preamble\": ["
            out += sheet.preamble.map { "[\(JSONText.string($0.label)), \(cell($0.value))]" }.joined(separator: ", ")
            out += "], \"columns\": ["
            out += sheet.columns.map { "[\(JSONText.string($0.header)), \(JSONText.optional($0.group)), \($0.width)]" }
                .joined(separator: ", ")
            out += "], \"rows\": ["
            for row in 0..<sheet.rowCount {
                out += (row > 0 ? ",\n" : "\n") + "[" + sheet.row(row).map(cell).joined(separator: ", ") + "]"
            }
            out += "]}"
        }
        return out + "]"
    }

    static func cell(_ cell: SheetCell) -> String {
        switch cell {
        case .empty: "null"
        case .text(let text): JSONText.string(text)
        case .integer(let value): String(value)
        case .money(let money): "{\"m\": \(money.fen)}"
        case .percent(let display): "{\"p\": \(JSONText.string(display))}"
        }
    }

    /// The sheets of `text`, as `encode` wrote them.
    public static func decode(_ text: String) throws -> [Sheet] {
        guard let sheets = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw SheetArchiveError.malformed("not a list of sheets")
        }
        return try sheets.map { sheet in
            guard let name = sheet["name"] as? String, let preamble = sheet["preamble"] as? [[Any]],
                  let columns = sheet["columns"] as? [[Any]], let rows = sheet["rows"] as? [[Any]] else {
                throw SheetArchiveError.malformed("a sheet without its name, preamble, columns or rows")
            }
            let lines = try preamble.map { pair in
                guard pair.count == 2, let label = pair[0] as? String else { throw SheetArchiveError.malformed("a preamble line") }
                return SheetLine(label, try cell(pair[1]))
            }
            let heads = try columns.map { column in
                guard column.count == 3, let header = column[0] as? String, let width = column[2] as? Int else {
                    throw SheetArchiveError.malformed("a column of sheet \(name)")
                }
                return SheetColumn(header, group: column[1] as? String, width: width)
            }
            let cells = try rows.map { try $0.map(cell) }
            return Sheet(name: name, preamble: lines, columns: heads, frozenColumns: sheet["frozenColumns"] as? Int ?? 0,
                         rowCount: cells.count) { cells[$0] }
        }
    }

    static func cell(_ value: Any) throws -> SheetCell {
        switch value {
        case is NSNull: return .empty
        case let text as String: return .text(text)
        case let number as NSNumber: return .integer(number.intValue)
        case let object as [String: Any]:
            if let fen = object["m"] as? NSNumber { return .money(Money(fen: fen.int64Value)) }
            if let display = object["p"] as? String { return .percent(display) }
            throw SheetArchiveError.malformed("a cell \(object)")
        default:
            throw SheetArchiveError.malformed("a cell \(value)")
        }
    }
}

/// A stored sheet that cannot be read back.
public enum SheetArchiveError: Error, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let what): "a stored snapshot's sheets are damaged (\(what)); freeze the assessment again"
        }
    }
}
