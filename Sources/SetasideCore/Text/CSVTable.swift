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

/// Writing fields.
extension CSVTable {
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

/// One data row of a ``CSVTable``.
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

/// The byte-level machinery behind ``CSVTable`` and ``CSVReader``.
enum CSVParser {
    /// Where a parse stands: the next byte, its line, and the header once read.
    struct State {
        var position: Int
        var line = 1
        var header: [String]? = nil
        /// Every row is data, of any width (an export with a title above its header):
        /// the caller finds its header.
        var everyRow = false
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
                if !state.everyRow, fields.count != expected {
                    return .failure(.wrongFieldCount(line: rowLine, expected: expected, found: fields.count))
                }
                rows.append(CSVRow(line: rowLine, fields: fields))
            }
        }
        if header == nil { return .failure(.empty) }
        return .success(rows)
    }
}
