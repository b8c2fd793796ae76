extension Sheet {
    /// The sheet as CSV lines (without line ends): the preamble's `label,value` lines and
    /// a blank line, then one header line (a grouped column's header is `group·header`)
    /// and the rows. Texts a spreadsheet would run as formulas are neutralized.
    /// `progress` is told each row written.
    public func csvLines(_ emit: (String) throws -> Void, progress: (Int) -> Void = { _ in }) rethrows {
        for line in preamble {
            try emit([line.label, line.value.csvText].map(CSVTable.spreadsheetField).joined(separator: ","))
        }
        if !preamble.isEmpty { try emit("") }
        try emit(columns.map { CSVTable.spreadsheetField($0.flatHeader) }.joined(separator: ","))
        for index in 0..<rowCount {
            try emit(row(index).map { CSVTable.spreadsheetField($0.csvText) }.joined(separator: ","))
            progress(index + 1)
        }
    }
}
