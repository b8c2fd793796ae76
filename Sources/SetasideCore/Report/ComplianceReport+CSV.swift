extension ComplianceReport {
    /// The report as CSV, one row per unit and rule, for spreadsheets: a text a
    /// spreadsheet would run as a formula is neutralized (`CSVTable.spreadsheetField`).
    public func csv() -> String {
        var lines = ["year,credit_code,name,region,rule,rule_name,pack,status,base,required,actual,shortfall,ratio,projection"]
        for unit in units {
            for rule in unit.rules {
                let fields = [
                    String(year), unit.creditCode, unit.name, unit.region, rule.rule, rule.name, rule.pack,
                    rule.status.rawValue, rule.base?.yuanString ?? "", rule.required?.description ?? "",
                    rule.actual?.description ?? "", rule.shortfall?.description ?? "", rule.ratio ?? "",
                    rule.projection ?? "",
                ]
                lines.append(fields.map(CSVTable.spreadsheetField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
