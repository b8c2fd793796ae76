/// Where an import's purchases come from, a batch at a time: setaside's own purchases
/// file (`ImportFileReader`) or a platform's order export (`OrderExportReader`). The
/// importer reads batches while it stores the last, and refuses the whole file when
/// `finish()` says a row had a problem.
public protocol PurchaseSource {
    /// Whether every row has been read.
    var isAtEnd: Bool { get }
    /// Whether a row read so far had a problem.
    var hasProblems: Bool { get }
    /// The rows read so far, with and without problems.
    var rowsRead: Int { get }
    /// How much of the file has been read.
    var position: ReadPosition { get }
    /// The records of the next rows (at most `maxRows`), leaving out rows with problems.
    mutating func next(_ maxRows: Int) throws(ImportError) -> [PurchaseRecord]
    /// Refuses the file when a row had a problem (other than those of the rows on the
    /// lines `excused`); else its warnings and encoding.
    func finish(excusing excused: Set<Int>) throws(ImportError) -> ParsedImport<PurchaseRecord>
}

extension PurchaseSource {
    /// Refuses the file when a row had a problem; else its warnings and encoding.
    public func finish() throws(ImportError) -> ParsedImport<PurchaseRecord> { try finish(excusing: []) }
}

extension ImportFileReader: PurchaseSource where Record == PurchaseRecord {}
