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

extension Money {
    /// Yuan with two decimals and a comma every three digits (`1,234,567.89`).
    public var groupedYuanString: String {
        let plain = yuanString
        let negative = plain.hasPrefix("-")
        let digits = negative ? String(plain.dropFirst()) : plain
        let whole = digits.prefix { $0 != "." }, fraction = digits.drop { $0 != "." }
        var grouped = ""
        for (index, character) in whole.enumerated() {
            if index > 0, (whole.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return (negative ? "-" : "") + grouped + fraction
    }
}
