import SetasideCore

/// What an import stored.
public struct ImportSummary: Sendable {
    public var kind: ImportKind
    /// Rows in the file.
    public var rows: Int
    /// Rows stored now.
    public var inserted: Int
    /// Rows already stored with the same content (a re-import changes nothing).
    public var unchanged: Int { rows - inserted }
    /// Accepted rows with something to point out (e.g. a wrong check character).
    public var warnings: [InputProblem]
    public var encoding: TextEncoding
}
