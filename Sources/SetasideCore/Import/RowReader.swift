
/// Reads the fields of one CSV row, collecting a problem for every field that does
/// not parse instead of stopping at the first.
struct RowReader {
    let row: CSVRow
    let columns: CSVColumns
    var problems: [InputProblem] = []

    init(row: CSVRow, columns: CSVColumns) {
        self.row = row
        self.columns = columns
    }

    var line: Int { row.line }

    /// The field's text, trimmed of surrounding spaces.
    func text(_ column: String) -> String {
        let field = columns[row: row, column: column]
        // Most fields have nothing to trim: check the two ends before walking scalars.
        if let first = field.utf8.first, let last = field.utf8.last,
           first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return field
        }
        return String(FieldValue.trimmed(field))
    }

    mutating func problem(_ column: String, _ reason: String, cause: ProblemCause? = nil) {
        problems.append(InputProblem(line: row.line, field: column, reason: reason, cause: cause))
    }

    /// The field parsed by `parse`, or nil with a problem recorded.
    mutating func parse<T>(_ column: String, _ parse: (String) throws -> T) -> T? {
        let value = text(column)
        do {
            return try parse(value)
        } catch {
            problem(column, "\(error)", cause: ProblemCause(error))
            return nil
        }
    }

    /// A text that is stored as written (a name, an order number): nil with a problem
    /// when it is empty or holds a control character (a NUL, a line break, a tab).
    mutating func required(_ column: String) -> String? {
        let value = text(column)
        if value.isEmpty { problem(column, "is empty", cause: .empty) ; return nil }
        return refusingControlCharacters(column, value)
    }

    /// Like `required`, but an empty field is nil without a problem.
    mutating func optional(_ column: String) -> String? {
        let value = text(column)
        return value.isEmpty ? nil : refusingControlCharacters(column, value)
    }

    private mutating func refusingControlCharacters(_ column: String, _ value: String) -> String? {
        do {
            return try FieldValue.storable(value)
        } catch {
            problem(column, error.reason)
            return nil
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ column: String, _ type: T.Type) -> T?
    where T.RawValue == String {
        let value = text(column)
        if let choice = T(rawValue: value) { return choice }
        let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
        if value.isEmpty {
            problem(column, "is empty; expected one of \(allowed)", cause: .empty)
        } else {
            problem(column, "\(FieldValue.shown(value)) is not one of \(allowed)", cause: .notAChoice(value))
        }
        return nil
    }

    mutating func bool(_ column: String) -> Bool? {
        parse(column) { try FieldValue.bool($0) }
    }

    mutating func creditCode(_ column: String, warnings: inout [InputProblem]) -> CreditCode? {
        guard let code = parse(column, { try CreditCode(parsing: $0) }) else { return nil }
        if let warning = code.checkWarning {
            warnings.append(InputProblem(line: row.line, field: column, reason: warning))
        }
        return code
    }

    mutating func division(_ column: String) -> DivisionCode? {
        parse(column) { try DivisionCode(parsing: $0) }
    }

    mutating func date(_ column: String) -> CalendarDate? {
        parse(column) { try CalendarDate(parsingISO: $0) }
    }

    /// A year of the rules (`Year`).
    mutating func year(_ column: String) -> Int? {
        parse(column) { try Year(parsing: $0).value }
    }

    mutating func money(_ column: String) -> Money? {
        parse(column) { try Money(parsingYuan: Substring($0)) }
    }

    /// An amount that must not be negative.
    mutating func nonNegativeMoney(_ column: String) -> Money? {
        guard let money = money(column) else { return nil }
        if money < .zero { problem(column, "\(money.yuanString) is negative", cause: .negative(money.yuanString)) ; return nil }
        return money
    }
}
