/// Why bytes could not be read as a CSV table, or a header does not fit its file kind.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No header row: the file is empty or holds only blank lines.
    case empty
    /// The bytes are neither UTF-8 nor GB18030 text.
    case notText
    /// The file is UTF-8 (it starts with a UTF-8 byte-order mark, UTF-8 was asked for, or
    /// the rest of it is UTF-8), but the bytes at `byte` (from 1) of `line` are not.
    case invalidUTF8(line: Int, byte: Int)
    /// GB18030 was asked for, but the bytes at `byte` (from 1) of `line` are not GB18030.
    case invalidGB18030(line: Int, byte: Int)
    /// A quoted field opened on `line` never closes.
    case unterminatedQuote(line: Int)
    /// After a closing quote on `line`, something other than a comma or a line break follows.
    case textAfterClosingQuote(line: Int)
    /// The row starting on `line` has `found` fields where the header has `expected`.
    case wrongFieldCount(line: Int, expected: Int, found: Int)
    /// Header columns that this kind of file does not have.
    case unknownColumns([String])
    /// Required columns absent from the header.
    case missingColumns([String])
    /// A column named twice in the header.
    case duplicateColumn(String)
    /// The header column at `position` (1-based) has no name.
    case emptyColumnName(position: Int)

    public var description: String {
        switch self {
        case .empty:
            return "the file is empty: it needs a header row naming the columns, then one row per record"
        case .notText:
            return "the file is neither UTF-8 nor plausible GB18030 text: save it as CSV (UTF-8 or the Chinese default encoding, GBK), not as a workbook or UTF-16"
        case .invalidUTF8(let line, let byte):
            return "line \(line), byte \(byte): not UTF-8, though the file is UTF-8: a character there is broken or was pasted from another encoding; correct it, or save the file again as UTF-8"
        case .invalidGB18030(let line, let byte):
            return "line \(line), byte \(byte): not GB18030, the encoding the file was read in: save the file as CSV in UTF-8 or GB18030 (GBK)"
        case .unterminatedQuote(let line):
            return "line \(line): a quoted field starts here but its closing quote is missing"
        case .textAfterClosingQuote(let line):
            return "line \(line): text follows a closing quote; inside a quoted field write a quote as \"\""
        case .wrongFieldCount(let line, let expected, let found):
            return "line \(line): \(found) fields, but the header has \(expected) columns; quote values that contain commas and fill empty values with nothing between the commas"
        case .unknownColumns(let names):
            return "unknown column\(names.count == 1 ? "" : "s") \(names.map { "\"\($0)\"" }.joined(separator: ", ")): check the spelling or remove \(names.count == 1 ? "it" : "them")"
        case .missingColumns(let names):
            return "missing column\(names.count == 1 ? "" : "s") \(names.map { "\"\($0)\"" }.joined(separator: ", ")): add \(names.count == 1 ? "it" : "them") to the header row"
        case .duplicateColumn(let name):
            return "column \"\(name)\" appears twice in the header: keep one"
        case .emptyColumnName(let position):
            return "header column \(position) has no name: name it or delete the column"
        }
    }
}
