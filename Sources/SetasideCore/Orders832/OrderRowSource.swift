/// Where an order export's rows come from, a batch at a time: a CSV file's rows, or a
/// workbook sheet's (numbered by the sheet's row numbers). Rows may differ in width.
public protocol OrderRowSource {
    /// The text encoding the rows were read in (a workbook's: UTF-8).
    var encoding: TextEncoding { get }
    var isAtEnd: Bool { get }
    /// How much of the file or sheet has been read.
    var position: ReadPosition { get }
    /// The next rows with data, at most `maxRows`; none at the end.
    mutating func next(_ maxRows: Int) throws(ImportError) -> [CSVRow]
}

/// A CSV file's rows, every row with data (the header is found by the reader).
public struct CSVOrderRows: OrderRowSource {
    var reader: CSVReader

    public init(_ reader: CSVReader) {
        self.reader = reader
    }

    public var encoding: TextEncoding { reader.encoding }
    public var isAtEnd: Bool { reader.isAtEnd }
    public var position: ReadPosition { reader.position }

    public mutating func next(_ maxRows: Int) throws(ImportError) -> [CSVRow] {
        do {
            return try reader.next(maxRows)
        } catch {
            throw .unreadable("\(error)")
        }
    }
}
