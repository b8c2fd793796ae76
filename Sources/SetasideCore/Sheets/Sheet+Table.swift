extension Sheet {
    /// The sheet as text for a terminal: its name, the preamble's `label: value` lines and
    /// the table (numbers right-aligned; amounts with thousands separators).
    public func text() -> String {
        var lines = ["== \(name) =="]
        lines += preamble.map { "\($0.label): \($0.value.displayText)" }
        let rows = (0..<rowCount).map { row($0).map(\.displayText) }
        let numeric = Set(columns.indices.filter { column in
            (0..<rowCount).contains { index in
                switch row(index)[column] {
                case .integer, .money, .percent: true
                case .empty, .text: false
                }
            }
        })
        lines.append(rows.isEmpty ? "（无）" : TextTable(header: columns.map(\.flatHeader), rows: rows, rightAligned: numeric).render())
        return lines.joined(separator: "\n") + "\n"
    }
}

extension SheetCell {
    /// The value as people read it: amounts `1,234.56`, shares `14.36%`.
    public var displayText: String {
        switch self {
        case .money(let money): money.groupedYuanString
        default: csvText
        }
    }
}
