import SetasideCore

/// What an import stored.
public struct ImportSummary: Sendable {
    public var kind: ImportKind
    /// Rows in the file.
    public var rows: Int
    /// Rows stored now.
    public var inserted: Int
    /// Rows that reported a stored order in a new status: each booked a status change.
    public var statusChanges = 0
    /// Rows already stored with the same content (a re-import changes nothing).
    public var unchanged: Int { rows - inserted - statusChanges }
    /// Accepted rows with something to point out (e.g. a wrong check character).
    public var warnings: [InputProblem]
    public var encoding: TextEncoding
    /// Rows checked set-wise in a staging table; the others were copied straight into
    /// the ledger, whose key and references checked them (a purchases file's orders,
    /// unless the ledger refused one and the whole file was staged to name it).
    public var staged: Int
    /// A dry run: what would be stored was worked out, and nothing was kept.
    public var dryRun = false
    /// A dry run's refused rows, each problem by line: the counts above are those of the
    /// other rows. (A real import with a refused row stores nothing and throws them.)
    public var refused: [InputProblem] = []
    /// How many rows were refused (a row may have several problems).
    public var refusedRows: Int { Set(refused.map(\.line)).count }

    public init(kind: ImportKind, rows: Int, inserted: Int, warnings: [InputProblem], encoding: TextEncoding,
                staged: Int? = nil) {
        self.kind = kind
        self.rows = rows
        self.inserted = inserted
        self.warnings = warnings
        self.encoding = encoding
        self.staged = staged ?? rows
    }
}
