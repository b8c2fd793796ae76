extension CSVTable {
    /// `value` written as one CSV field of a file meant for spreadsheets: a text that
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so
    /// that Excel, WPS or LibreOffice show it instead of running it as a formula (as
    /// OWASP advises for CSV injection); a number (`-12.50`, `+3`) is left as it is.
    public static func spreadsheetField(_ value: String) -> String {
        field(neutralized(value))
    }

    /// `value` with a leading `'` when a spreadsheet would take it for a formula.
    public static func neutralized(_ value: String) -> String {
        guard let first = value.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"),
                                              0x09, 0x0D].contains(first) else { return value }
        if isNumber(value) { return value }
        return "'" + value
    }

    /// Whether `value` is a plain decimal number: an optional sign, digits, an optional
    /// fraction.
    static func isNumber(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, parts.count <= 2 else { return false }
        return parts.allSatisfy { part in !part.isEmpty && part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }
}
