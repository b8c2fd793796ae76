/// Reads a CSV file a batch of rows at a time, so that a caller can check and send one
/// batch while the next is read (an import's pipeline). ``CSVTable`` reads them all.
/// The rules of the format are ``CSVTable``'s.
public struct CSVReader: Sendable {
    /// The encoding the bytes were decoded from.
    public let encoding: TextEncoding
    /// The column names from the first row, trimmed.
    public let header: [String]
    private let text: [UInt8]
    private var state: CSVParser.State

    /// Decodes the file, in `encoding` when given (else the one found), and reads its header.
    /// With `everyRow`, no row is a header: every row with data comes back, whatever its
    /// width (an export whose header is found by its caller), and `header` is empty.
    public init(bytes: [UInt8], encoding: TextEncoding? = nil, everyRow: Bool = false) throws(CSVError) {
        let decoded = try CSVParser.decode(bytes, as: encoding)
        self.encoding = decoded.encoding
        text = decoded.text
        var state = CSVParser.State(position: decoded.start)
        if everyRow {
            state.header = []
            state.everyRow = true
            header = []
        } else {
            _ = try text.withUnsafeBufferPointer { CSVParser.parse($0, &state, maxRows: 0) }.get()
            guard let header = state.header else { throw .empty }
            self.header = header
        }
        self.state = state
    }

    /// Whether every row has been read.
    public var isAtEnd: Bool { state.position >= text.count }

    /// How much of the decoded text has been read, in bytes.
    public var position: ReadPosition { ReadPosition(done: min(state.position, text.count), total: text.count) }

    /// The next rows, at most `maxRows`; none at the end of the file.
    public mutating func next(_ maxRows: Int) throws(CSVError) -> [CSVRow] {
        try text.withUnsafeBufferPointer { CSVParser.parse($0, &state, maxRows: maxRows) }.get()
    }
}
