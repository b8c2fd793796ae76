/// A purchase source with the rows on some lines left out: a dry run reads a file again
/// without the rows it refused, to count what the others would do. The problems of the
/// rows left out do not refuse the file; any other does.
public struct PurchaseSourceSkipping<Source: PurchaseSource>: PurchaseSource {
    private var source: Source
    private let skipped: Set<Int>

    public init(_ source: Source, skipping lines: Set<Int>) {
        self.source = source
        skipped = lines
    }

    public var isAtEnd: Bool { source.isAtEnd }
    public var rowsRead: Int { source.rowsRead }
    public var position: ReadPosition { source.position }

    /// Only known at the end: a problem of a row left out is no reason to stop early.
    public var hasProblems: Bool { skipped.isEmpty && source.hasProblems }

    public mutating func next(_ maxRows: Int) throws(ImportError) -> [PurchaseRecord] {
        let batch = try source.next(maxRows)
        return skipped.isEmpty ? batch : batch.filter { !skipped.contains($0.line) }
    }

    public func finish(excusing excused: Set<Int>) throws(ImportError) -> ParsedImport<PurchaseRecord> {
        try source.finish(excusing: excused.union(skipped))
    }
}
