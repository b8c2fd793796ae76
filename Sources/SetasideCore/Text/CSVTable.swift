// Foundation is imported for one thing only: decoding GB18030 bytes to Unicode
// (`String(data:encoding:)`), which does no I/O. Everything else is byte-level Swift.
import Foundation

/// The text encoding a CSV file was found to be in.
public enum TextEncoding: String, Sendable {
    /// UTF-8, with or without a byte-order mark.
    case utf8
    /// GB18030 (a superset of GBK and GB2312), as written by Excel and WPS on Chinese Windows.
    case gb18030

    /// The encoding a name (a charset label, a command-line value) means, in any case:
    /// `utf-8` or `utf8`; `gb18030`, or its subsets `gbk`, `gb2312`, `cp936`.
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gbk", "gb2312", "cp936": self = .gb18030
        default: return nil
        }
    }

    /// The name a person (and a charset label) writes: `utf-8`, `gb18030`.
    public var label: String { self == .utf8 ? "utf-8" : "gb18030" }
}

/// A decoded and parsed CSV file (RFC 4180) with a header row.
///
/// - Encoding: a UTF-8 byte-order mark is removed; bytes that are not valid UTF-8 are
///   decoded as GB18030 when they read as plausible GB18030 text and not as UTF-8 with a
///   broken character (which is refused, naming its line and byte); the caller may force
///   either encoding.
/// - Fields are separated by commas and may be quoted with `"`; inside quotes `""` is a
///   quote and commas and line breaks are data. Line breaks are LF, CRLF or a lone CR.
/// - Lines that hold no data (empty, or only empty fields such as `,,,`) are skipped
///   wherever they are; every other row must have as many fields as the header.
/// - Header names are trimmed; field values are kept exactly as written (parsers trim).
/// - ``CSVRow/line`` is the 1-based physical line on which the row starts (the header is
///   line 1 unless blank lines precede it).
public struct CSVTable: Sendable {
    /// The encoding the bytes were decoded from.
    public let encoding: TextEncoding
    /// The column names from the first row, trimmed.
    public let header: [String]
    /// The data rows, in file order.
    public let rows: [CSVRow]

    /// Decodes and parses a whole CSV file, in `encoding` when given (else the one found).
    public init(bytes: [UInt8], encoding: TextEncoding? = nil) throws(CSVError) {
        var reader = try CSVReader(bytes: bytes, encoding: encoding)
        self.encoding = reader.encoding
        header = reader.header
        rows = try reader.next(.max)
    }

    /// Decodes and parses CSV text already in memory (tests, pasted text).
    public init(text: String) throws(CSVError) {
        try self.init(bytes: Array(text.utf8))
    }
}

/// One data row of a ``CSVTable``.
extension CSVTable {
    /// `value` written as one CSV field of a file meant for spreadsheets: a text that
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so
    /// that Excel, WPS or LibreOffice show it instead of running it as a formula (as
    /// OWASP advises for CSV injection); a number (`-12.50`, `+3`) is left as it is.
    public static func spreadsheetField(_ value: String) -> String {
        field(neutralized(value))
    }

    /// `value` with a leading `'` when a spreadsheet would take it for a formula.
    public static func neutralized(_ value: String) -> String {
        guard let first = value.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"),
                                              0x09, 0x0D].contains(first) else { return value }
        if isNumber(value) { return value }
        return "'" + value
    }

    /// Whether `value` is a plain decimal number: an optional sign, digits, an optional
    /// fraction.
    static func isNumber(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// `value` written as one CSV field: in quotes, with its quotes doubled, when it holds
    /// a comma, a quote or a line break; as it is otherwise.
    public static func field(_ value: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        var quoted = "\""
        for character in value {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}

public struct CSVRow: Sendable {
    /// The 1-based physical line of the file on which the row starts.
    public let line: Int
    /// The field values, as many as the header has columns, untrimmed.
    public let fields: [String]

    /// Creates a row.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// Maps column names to field positions, checking a header against the columns a file
/// kind requires and allows.
public struct CSVColumns: Sendable {
    /// Position of each column present in the header.
    public let indexes: [String: Int]
    /// Columns that may be read with ``subscript(row:column:)``: required plus optional.
    public let known: Set<String>

    /// Checks `header` (already trimmed, as ``CSVTable/header``): every required column must
    /// be present, every column must be required or optional, no column may appear twice
    /// and no column name may be empty. Checked in that order: empty name, duplicate,
    /// missing, unknown.
    public init(header: [String], required: [String], optional: [String] = []) throws(CSVError) {
        let known = Set(required).union(optional)
        var indexes: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            if name.isEmpty { throw .emptyColumnName(position: i + 1) }
            if indexes[name] != nil { throw .duplicateColumn(name) }
            indexes[name] = i
        }
        let missing = required.filter { indexes[$0] == nil }
        if !missing.isEmpty { throw .missingColumns(missing) }
        let unknown = header.filter { !known.contains($0) }
        if !unknown.isEmpty { throw .unknownColumns(unknown) }
        self.indexes = indexes
        self.known = known
    }

    /// Whether the header has `column`.
    public func has(_ column: String) -> Bool { indexes[column] != nil }

    /// The value of `column` in `row`; the empty string for an optional column the header
    /// lacks. Traps when `column` was declared neither required nor optional (a programming error).
    public subscript(row row: CSVRow, column column: String) -> String {
        if let i = indexes[column] { return row.fields[i] }
        precondition(known.contains(column), "column \(column) was not declared to CSVColumns")
        return ""
    }
}

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

/// The byte-level machinery behind ``CSVTable`` and ``CSVReader``.
enum CSVParser {
    /// Where a parse stands: the next byte, its line, and the header once read.
    struct State {
        var position: Int
        var line = 1
        var header: [String]? = nil
    }

    /// The file's text as valid UTF-8, its encoding, and where the text starts (after a
    /// byte-order mark). With `forced`, the bytes must be in that encoding; else UTF-8 is
    /// taken when they are all UTF-8, and GB18030 only when they are not, do not look like
    /// UTF-8 with damage in it, and read as plausible Chinese text in GB18030 (see
    /// `EncodingEvidence`): a UTF-8 file with one broken character is refused, not stored
    /// as mojibake.
    static func decode(_ bytes: [UInt8], as forced: TextEncoding? = nil) throws(CSVError) -> (encoding: TextEncoding, text: [UInt8], start: Int) {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        if forced == .gb18030 { return (.gb18030, try decodeGB18030(bytes), 0) }
        let invalid = bytes.withUnsafeBufferPointer { firstInvalidUTF8($0, from: start) }
        guard let invalid else { return (.utf8, bytes, start) }
        // A UTF-8 byte-order mark, or UTF-8 asked for, says what the file is: bytes that
        // are not UTF-8 are damage to report, not a sign of another encoding.
        if start > 0 || forced == .utf8 { throw invalidUTF8(bytes, at: invalid) }
        let evidence = EncodingEvidence(bytes)
        if evidence.looksLikeDamagedUTF8 { throw invalidUTF8(bytes, at: invalid) }
        guard evidence.isPlausibleGB18030, firstInvalidGB18030(bytes) == nil else {
            throw evidence.hasUTF8 ? invalidUTF8(bytes, at: invalid) : .notText
        }
        return (.gb18030, try decodeGB18030(bytes), 0)
    }

    /// The error naming the line of `bytes[offset]` and its byte within the line (from 1).
    static func invalidUTF8(_ bytes: [UInt8], at offset: Int) -> CSVError {
        let place = Place(bytes, offset)
        return .invalidUTF8(line: place.line, byte: place.byte)
    }

    /// The line (from 1, counting LF) and the byte within it (from 1) of an offset.
    struct Place {
        var line: Int
        var byte: Int
        init(_ bytes: [UInt8], _ offset: Int) {
            let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            line = 1 + bytes[..<offset].lazy.filter { $0 == 0x0A }.count
            byte = offset - lineStart + 1
        }
    }

    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    @inline(__always)
    static func string(_ buf: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        if from == to { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: buf[from..<to]), as: UTF8.self)
    }

    /// Parses valid UTF-8 bytes from where `state` stands: the header first (the first
    /// row with data), then at most `maxRows` data rows; `state` is left after the last
    /// row read.
    static func parse(_ buf: UnsafeBufferPointer<UInt8>, _ state: inout State, maxRows: Int) -> Result<[CSVRow], CSVError> {
        let n = buf.count
        var i = state.position
        var line = state.line
        var header = state.header
        var expected = header?.count ?? 0
        var rows: [CSVRow] = []
        var scratch: [UInt8] = []
        defer { (state.position, state.line, state.header) = (i, line, header) }
        if maxRows > 0, maxRows < 1 << 20 { rows.reserveCapacity(maxRows) }

        while i < n {
            if header != nil, rows.count >= maxRows { break }
            let rowLine = line
            var fields: [String] = []
            fields.reserveCapacity(expected)
            var hasData = false

            fieldLoop: while true {
                if i < n && buf[i] == quote {
                    // Quoted field.
                    let openLine = line
                    i += 1
                    var segment = i
                    var escaped = false
                    var closed = false
                    while i < n {
                        let c = buf[i]
                        if c == quote {
                            if i + 1 < n && buf[i + 1] == quote {
                                if !escaped { scratch.removeAll(keepingCapacity: true); escaped = true }
                                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segment...i]))
                                i += 2
                                segment = i
                                continue
                            }
                            closed = true
                            break
                        } else if c == lf {
                            line += 1
                        } else if c == cr && !(i + 1 < n && buf[i + 1] == lf) {
                            line += 1
                        }
                        i += 1
                    }
                    if !closed { return .failure(.unterminatedQuote(line: openLine)) }
                    let value: String
                    if escaped {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buf[segment..<i]))
                        value = String(decoding: scratch, as: UTF8.self)
                    } else {
                        value = string(buf, segment, i)
                    }
                    if !value.isEmpty { hasData = true }
                    fields.append(value)
                    i += 1  // closing quote
                    if i >= n { break fieldLoop }
                    let c = buf[i]
                    if c == comma { i += 1; continue fieldLoop }
                    if c == lf { i += 1; line += 1; break fieldLoop }
                    if c == cr {
                        i += 1
                        if i < n && buf[i] == lf { i += 1 }
                        line += 1
                        break fieldLoop
                    }
                    return .failure(.textAfterClosingQuote(line: line))
                } else {
                    // Unquoted field: up to a comma or a line break.
                    let s = i
                    while i < n {
                        let c = buf[i]
                        if c == comma || c == lf || c == cr { break }
                        i += 1
                    }
                    if i > s { hasData = true }
                    fields.append(string(buf, s, i))
                    if i >= n { break fieldLoop }
                    let c = buf[i]
                    i += 1
                    if c == comma { continue fieldLoop }
                    if c == cr && i < n && buf[i] == lf { i += 1 }
                    line += 1
                    break fieldLoop
                }
            }

            if !hasData { continue }  // blank line or only empty fields
            if header == nil {
                let names = fields.map { String(FieldValue.trimmed($0)) }
                header = names
                expected = names.count
                if maxRows >= 1 << 20 {
                    // A rough guess of the row count avoids most re-allocations on large files.
                    let bytesPerRow = max(1, i - state.position)
                    rows.reserveCapacity(min((n - i) / bytesPerRow + 16, 1 << 24))
                }
            } else {
                if fields.count != expected {
                    return .failure(.wrongFieldCount(line: rowLine, expected: expected, found: fields.count))
                }
                rows.append(CSVRow(line: rowLine, fields: fields))
            }
        }
        if header == nil { return .failure(.empty) }
        return .success(rows)
    }

    /// Whether `buf[from...]` is well-formed UTF-8 (no overlong forms, surrogates or
    /// scalars above U+10FFFF).
    static func isValidUTF8(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        firstInvalidUTF8(buf, from: from) == nil
    }

    /// The length of the well-formed UTF-8 sequence of two to four bytes at `i`, or 0.
    static func utf8SequenceLength(_ buf: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = buf.count
        let b0 = buf[i]
        @inline(__always) func cont(_ k: Int) -> Bool { i + k < n && buf[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard cont(1), cont(2) else { return 0 }
            let b1 = buf[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }   // overlong
            if b0 == 0xED && b1 > 0x9F { return 0 }   // surrogates
            return 3
        case 0xF0...0xF4:
            guard cont(1), cont(2), cont(3) else { return 0 }
            let b1 = buf[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }   // overlong
            if b0 == 0xF4 && b1 > 0x8F { return 0 }   // above U+10FFFF
            return 4
        default:
            return 0
        }
    }

    /// The offset of the first byte in `buf[from...]` that is not well-formed UTF-8, or
    /// nil when there is none.
    static func firstInvalidUTF8(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = buf.baseAddress else { return nil }
        let n = buf.count
        var i = from
        while i < n {
            // Fast path: eight ASCII bytes at a time.
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= n { break }
            if buf[i] < 0x80 { i += 1; continue }
            let length = utf8SequenceLength(buf, at: i)
            if length == 0 { return i }
            i += length
        }
        return nil
    }

    /// The offset of the first byte that is not well-formed GB18030, or nil: single bytes
    /// 00–7F, two bytes 81–FE + 40–7E/80–FE, four bytes 81–FE + 30–39 + 81–FE + 30–39.
    static func firstInvalidGB18030(_ bytes: [UInt8]) -> Int? {
        let n = bytes.count
        var i = 0
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            guard b0 >= 0x81 && b0 <= 0xFE, i + 1 < n else { return i }
            let b1 = bytes[i + 1]
            if (b1 >= 0x40 && b1 <= 0x7E) || (b1 >= 0x80 && b1 <= 0xFE) {
                i += 2
            } else if b1 >= 0x30 && b1 <= 0x39 {
                guard i + 3 < n else { return i }
                let b2 = bytes[i + 2], b3 = bytes[i + 3]
                guard b2 >= 0x81 && b2 <= 0xFE && b3 >= 0x30 && b3 <= 0x39 else { return i }
                i += 4
            } else {
                return i
            }
        }
        return nil
    }

    /// GB18030 bytes to UTF-8 bytes. The byte structure is checked here; the mapping to
    /// Unicode (two-byte GBK table, four-byte ranges) is Foundation's, which does no I/O.
    static func decodeGB18030(_ bytes: [UInt8]) throws(CSVError) -> [UInt8] {
        if let invalid = firstInvalidGB18030(bytes) {
            let place = Place(bytes, invalid)
            throw .invalidGB18030(line: place.line, byte: place.byte)
        }
        let gb18030 = String.Encoding(rawValue: 0x8000_0632)  // kCFStringEncodingGB_18030_2000
        guard let text = String(data: Data(bytes), encoding: gb18030) else { throw .notText }
        var utf8 = Array(text.utf8)
        if utf8.count >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF {
            utf8.removeFirst(3)  // GB18030 byte-order mark 84 31 95 33, decoded to U+FEFF
        }
        return utf8
    }
}
