extension ComplianceReport {
    /// The report as JSON in the documented shape: money as strings with two decimals,
    /// ratios as percentage strings, festival figures as counts, absent figures as null.
    /// Keys keep the documented order.
    public func json() -> String {
        var out = JSONWriter()
        out.raw("{\"year\": \(year), \"units\": [")
        for (index, unit) in units.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("\n  ")
            Self.write(unit, to: &out)
        }
        out.raw(units.isEmpty ? "]" : "\n]")
        // The roll-up by supervising unit (主管单位汇总), over the units of the report.
        let rollups = ComplianceRollup.bySupervisingUnit(self)
        out.raw(", \"supervising\": [" + rollups.map { "\n  " + $0.json }.joined(separator: ",") + (rollups.isEmpty ? "]" : "\n]"))
        // The roll-up by region (地区汇总), at every level of the units' regions.
        let regions = ComplianceRollup.byRegion(self)
        out.raw(", \"regions\": [" + regions.map { "\n  " + $0.json }.joined(separator: ",") + (regions.isEmpty ? "]}\n" : "\n]}\n"))
        return out.text
    }

    /// One unit's object, as in the `units` array.
    public static func json(for unit: UnitCompliance) -> String {
        var out = JSONWriter()
        write(unit, to: &out)
        return out.text
    }

    static func write(_ unit: UnitCompliance, to out: inout JSONWriter) {
        out.raw("{\"creditCode\": "); out.string(unit.creditCode)
        out.raw(", \"name\": "); out.string(unit.name)
        out.raw(", \"region\": "); out.string(unit.region)
        out.raw(", \"parent\": "); out.optional(unit.parent)
        out.raw(", \"declaration\": "); out.string(unit.declaration.rawValue)
        out.raw(", \"deadline\": "); out.optional(unit.deadline?.iso)
        out.raw(", \"returned\": "); out.raw(unit.returned?.json ?? "null")
        out.raw(", \"sharedBy\": "); out.raw(unit.sharedBy?.json ?? "null")
        out.raw(", \"sharedCanteen\": [" + unit.sharedMembers.map(\.json).joined(separator: ", ") + "]")
        writeRules(unit.rules, to: &out)
        out.raw("}")
    }

    /// A unit's rules as the `rules` key's array (`, "rules": [ … ]`), as the report and
    /// the assessment both show them.
    static func writeRules(_ rules: [RuleResult], to out: inout JSONWriter) {
        out.raw(", \"rules\": [")
        for (index, rule) in rules.enumerated() {
            out.raw(index > 0 ? ",\n    " : "\n    ")
            out.raw("{\"rule\": "); out.string(rule.rule)
            out.raw(", \"pack\": "); out.string(rule.pack)
            out.raw(", \"status\": "); out.string(rule.status.rawValue)
            out.raw(", \"base\": "); out.optional(rule.base?.yuanString)
            out.raw(", \"required\": "); out.optional(rule.required?.description)
            out.raw(", \"actual\": "); out.optional(rule.actual?.description)
            out.raw(", \"shortfall\": "); out.optional(rule.shortfall?.description)
            out.raw(", \"ratio\": "); out.optional(rule.ratio)
            out.raw(", \"projection\": "); out.optional(rule.projection)
            out.raw(", \"strength\": "); out.string(rule.strength.rawValue)
            out.raw(", \"encouraged\": "); out.optional(rule.encouraged?.description)
            out.raw(", \"waiver\": " + (rule.waiver?.json ?? "null"))
            out.raw(", \"notes\": [")
            for (n, note) in rule.notes.enumerated() {
                if n > 0 { out.raw(", ") }
                out.string(note)
            }
            out.raw("]}")
        }
        out.raw(rules.isEmpty ? "]" : "\n  ]")
    }
}

/// A minimal JSON text builder that keeps key order.
struct JSONWriter {
    var text = ""

    mutating func raw(_ s: String) { text += s }

    mutating func optional(_ value: String?) {
        if let value { string(value) } else { text += "null" }
    }

    mutating func string(_ value: String) {
        text += JSONText.string(value)
    }
}
