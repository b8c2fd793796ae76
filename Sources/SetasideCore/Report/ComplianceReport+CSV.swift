extension ComplianceReport {
    /// The report as CSV, one row per unit and rule, for spreadsheets.
    public func csv() -> String {
        var lines = ["year,credit_code,name,region,rule,rule_name,pack,status,base,required,actual,shortfall,ratio"]
        for unit in units {
            for rule in unit.rules {
                let fields = [
                    String(year), unit.creditCode, unit.name, unit.region, rule.rule, rule.name, rule.pack,
                    rule.status.rawValue, rule.base?.yuanString ?? "", rule.required?.description ?? "",
                    rule.actual?.description ?? "", rule.shortfall?.description ?? "", rule.ratio ?? "",
                ]
                lines.append(fields.map(Self.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
