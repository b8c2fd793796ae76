/// One thing wrong with an input, and where: a row of a file (its line and column), a
/// field of a request (a JSON body's, a query's, a form's), or a file as a whole. Every
/// way in reports its problems with this one type.
public struct InputProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Where a problem is.
    public enum Place: Sendable, Hashable, Comparable {
        /// A file as a whole (its encoding, its header).
        case file
        /// The row that starts on this physical line of its file (the header is line 1).
        case row(line: Int)
        /// A request's own field (`field` names it as the request does).
        case request
    }

    public var place: Place
    /// The column or field at fault, or empty when the row (or file) as a whole is.
    public var field: String
    public var reason: String
    /// Whether the row clashes with what is stored (the same key with other content)
    /// rather than being wrong in itself: one record sent alone is then a conflict.
    public var isConflict: Bool
    /// What kind of problem it is, for wording it in another language; not part of its
    /// identity (two problems with the same place, field and reason are the same).
    public var cause: ProblemCause?

    public init(place: Place, field: String, reason: String, isConflict: Bool = false, cause: ProblemCause? = nil) {
        self.place = place
        self.field = field
        self.reason = reason
        self.isConflict = isConflict
        self.cause = cause
    }

    public static func == (a: InputProblem, b: InputProblem) -> Bool {
        (a.place, a.field, a.reason, a.isConflict) == (b.place, b.field, b.reason, b.isConflict)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(place)
        hasher.combine(field)
        hasher.combine(reason)
        hasher.combine(isConflict)
    }

    /// A problem of a file's row at `line`; line 0 is a row that came from no file (a
    /// record sent alone, checked by a file's statements): a request's.
    public init(line: Int, field: String, reason: String, isConflict: Bool = false, cause: ProblemCause? = nil) {
        self.init(place: line > 0 ? .row(line: line) : .request, field: field, reason: reason, isConflict: isConflict,
                  cause: cause)
    }

    /// A problem of a request's field.
    public static func field(_ name: String, _ reason: String) -> InputProblem {
        InputProblem(place: .request, field: name, reason: reason)
    }

    /// The file line of a row's problem; 0 for any other.
    public var line: Int {
        if case .row(let line) = place { return line }
        return 0
    }

    public static func < (a: InputProblem, b: InputProblem) -> Bool {
        (a.place, a.field, a.reason) < (b.place, b.field, b.reason)
    }

    /// `line 3, amount: …` for a row; `amount: …` for a request's field; `file: …` for
    /// the file as a whole.
    public var description: String {
        switch place {
        case .file: field.isEmpty ? "file: \(reason)" : "file, \(field): \(reason)"
        case .request: field.isEmpty ? reason : "\(field): \(reason)"
        case .row(let line): field.isEmpty ? "line \(line): \(reason)" : "line \(line), \(field): \(reason)"
        }
    }

    /// The problem with its field named as a JSON body names it: a file's `village_code`
    /// is a request's `villageCode`.
    public var inJSONTerms: InputProblem {
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
}

/// Why an import stored nothing.
public enum ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// How many problems an error message lists before it summarises the rest.
    public static let listedProblems = 1000

    /// The file is not a readable CSV of the kind (encoding, quoting, header).
    case unreadable(String)
    /// Rows are wrong; every problem found is listed, by line.
    case rejected([InputProblem])

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
