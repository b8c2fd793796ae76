extension ComplianceReport {
    /// The report as CSV, one row per unit and rule, for spreadsheets: a text a
    /// spreadsheet would run as a formula is neutralized (`CSVTable.spreadsheetField`).
    public func csv() -> String {
        // The first fourteen columns are those of the first version; later ones are added at the end.
        var lines = ["year,credit_code,name,region,rule,rule_name,pack,status,base,required,actual,shortfall,ratio,projection,"
                     + "strength,encouraged,waiver_ratio,waiver_document,declaration,deadline,notes,parent,shared_by"]
        for unit in units {
            for rule in unit.rules {
                let fields = [
                    String(year), unit.creditCode, unit.name, unit.region, rule.rule, rule.name, rule.pack,
                    rule.status.rawValue, rule.base?.yuanString ?? "", rule.required?.description ?? "",
                    rule.actual?.description ?? "", rule.shortfall?.description ?? "", rule.ratio ?? "",
                    rule.projection ?? "",
                    rule.strength.rawValue, rule.encouraged?.description ?? "",
                    rule.waiver.map { Ratio.text(basisPoints: $0.basisPoints) } ?? "", rule.waiver?.document ?? "",
                    unit.declaration.rawValue, unit.deadline?.iso ?? "", rule.notes.joined(separator: "; "),
                    unit.parent ?? "", unit.sharedBy?.creditCode ?? "",
                ]
                lines.append(fields.map(CSVTable.spreadsheetField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
