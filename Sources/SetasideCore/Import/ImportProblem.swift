/// One thing wrong with one row of an import file.
public struct ImportProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The physical line of the row in the file (the header is line 1); 0 for the file as a whole.
    public var line: Int
    /// The column at fault, or empty when the row as a whole is at fault.
    public var field: String
    public var reason: String
    /// Whether the row clashes with what is stored (the same key with other content)
    /// rather than being wrong in itself: one record sent alone is then a conflict.
    public var isConflict: Bool

    public init(line: Int, field: String, reason: String, isConflict: Bool = false) {
        self.line = line
        self.field = field
        self.reason = reason
        self.isConflict = isConflict
    }

    /// The problem with its field named as a JSON body names it: a file's `village_code`
    /// is a request's `villageCode`.
    public var inJSONTerms: ImportProblem {
        var copy = self
        copy.field = Self.jsonName(ofColumn: field)
        return copy
    }

    /// How a JSON body names a file's column: `village_code` → `villageCode`.
    public static func jsonName(ofColumn column: String) -> String {
        let words = column.split(separator: "_")
        guard let first = words.first else { return column }
        return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    public static func < (a: ImportProblem, b: ImportProblem) -> Bool {
        (a.line, a.field, a.reason) < (b.line, b.field, b.reason)
    }

    /// `line 3, amount: …` for a row; `amount: …` for a field of a request (line 0);
    /// `file: …` for the file as a whole.
    public var description: String {
        switch (line, field.isEmpty) {
        case (0, true): "file: \(reason)"
        case (0, false): "\(field): \(reason)"
        case (_, true): "line \(line): \(reason)"
        case (_, false): "line \(line), \(field): \(reason)"
        }
    }
}

/// Why an import stored nothing.
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// How many problems an error message lists before it summarises the rest.
    public static let listedProblems = 1000

    /// The file is not a readable CSV of the kind (encoding, quoting, header).
    case unreadable(String)
    /// Rows are wrong; every problem found is listed, by line.
    case rejected([ImportProblem])

    public var description: String {
        switch self {
        case .unreadable(let reason):
            return "cannot read the file: \(reason); nothing was stored"
        case .rejected(let problems):
            let lines = Set(problems.map(\.line)).count
            var text = "\(problems.count) problem\(problems.count == 1 ? "" : "s") in \(lines) row\(lines == 1 ? "" : "s"); nothing was stored:"
            // A file with a wrong column can fail on every row: list the first thousand.
            let shown = problems.sorted().prefix(Self.listedProblems)
            for problem in shown { text += "\n  " + problem.description }
            if problems.count > shown.count {
                text += "\n  … and \(problems.count - shown.count) more problems (the first \(shown.count) are listed)"
            }
            return text
        }
    }
}
