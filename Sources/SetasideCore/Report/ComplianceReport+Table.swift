extension ComplianceReport {
    /// The report for people: units that fall short first, one line per rule with its
    /// Chinese name, columns aligned for a terminal (CJK characters count two columns).
    public func table() -> String {
        let ordered = units.enumerated().sorted { a, b in
            if a.element.isShort != b.element.isShort { return a.element.isShort }
            return a.offset < b.offset
        }.map(\.element)
        let short = units.filter(\.isShort).count
        var out = "Compliance \(year): \(units.count) units, \(short) fall short of at least one rule\n"
        guard !units.isEmpty else { return out }
        let header = ["unit", "rule", "", "pack", "status", "base", "required", "actual", "shortfall", "ratio", "projected"]
        var rows: [[String]] = []
        var notes: [String] = []
        for unit in ordered {
            if let line = Self.declarationNote(unit, year: year) { notes.append(line) }
            for (index, rule) in unit.rules.enumerated() {
                let unitCell = index == 0 ? "\(unit.creditCode) \(unit.name)" : ""
                rows.append([
                    unitCell, rule.rule, rule.name, rule.pack, Self.statusText(rule.status, rule.strength),
                    rule.base?.yuanString ?? "-", rule.required?.description ?? "-",
                    rule.actual?.description ?? "-", rule.shortfall?.description ?? "-",
                    rule.ratio.map { $0 + "%" } ?? "-", rule.projection.map { $0 + "%" } ?? "-",
                ])
                for note in rule.notes where rule.status != .notApplicable {
                    notes.append("\(unit.creditCode) \(rule.rule): \(note)")
                }
                if rule.status != .notApplicable, let encouraged = rule.encouraged, rule.kind != .festivals {
                    notes.append("\(unit.creditCode) \(rule.rule): encouraged \(encouraged) (shown only; it does not decide met)")
                }
                if !rule.villages.isEmpty {
                    let villages = rule.villages.map { "\($0.village) \($0.amount.yuanString)" }.joined(separator: ", ")
                    notes.append("\(unit.creditCode) \(rule.rule): by assisted village: \(villages)")
                }
                if rule.declarationCovers == false {
                    notes.append("\(unit.creditCode) \(rule.rule): the declared reserve is below the threshold of the declared total")
                }
            }
        }
        out += TextTable(header: header, rows: rows, rightAligned: [5, 6, 7, 8, 9, 10]).render()
        if !notes.isEmpty {
            out += "\nNotes:\n" + notes.map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        out += Self.rollupTable("By region (地区汇总; each with every unit in it or below it):", "region",
                                ComplianceRollup.byRegion(self))
        out += Self.rollupTable("By supervising unit (主管单位汇总; each with every unit below it):", "supervising unit",
                                ComplianceRollup.bySupervisingUnit(self))
        return out
    }

    /// An encouraged rule that is short is written in lower case and marked 鼓励: it does
    /// not make the unit short.
    static func statusText(_ status: RuleStatus, _ strength: RuleStrength = .required) -> String {
        switch (status, strength) {
        case (.met, _): "met 达标"
        case (.short, .required): "SHORT 未达标"
        case (.short, .encouraged): "short 鼓励项"
        case (.notApplicable, _): "n/a 不适用"
        }
    }

    /// A roll-up as a table under `title`, or nothing when there is none.
    static func rollupTable(_ title: String, _ group: String, _ rollups: [ComplianceRollup]) -> String {
        guard !rollups.isEmpty else { return "" }
        var rows: [[String]] = []
        for r in rollups {
            for (index, t) in r.rules.enumerated() {
                let head: [String] = index == 0 ? ["\(r.key) \(r.name)", String(r.units), String(r.declared), String(r.short)]
                                                : ["", "", "", ""]
                let ratio: String = t.ratio.map { $0 + "%" } ?? "-"
                rows.append(head + [t.rule, "\(t.met)/\(t.applicable)", t.base?.yuanString ?? "-", t.actual?.yuanString ?? "-", ratio])
            }
        }
        return "\n" + title + "\n"
            + TextTable(header: [group, "units", "declared", "short", "rule", "met", "base", "actual", "ratio"],
                        rows: rows, rightAligned: [1, 2, 3, 5, 6, 7, 8]).render()
    }

    /// The line of the notes on a unit's declaration, unless it was declared in time.
    static func declarationNote(_ unit: UnitCompliance, year: Int) -> String? {
        let deadline = unit.deadline.map { " (deadline \($0.iso))" } ?? ""
        switch unit.declaration {
        case .declared: return nil
        case .late: return "\(unit.creditCode) declaration \(year): late\(deadline)"
        case .missing: return "\(unit.creditCode) declaration \(year): missing\(deadline)"
        case .noCanteen: return "\(unit.creditCode) declaration \(year): 无食堂 (no reservation owed)"
        case .sharedBy:
            let declarer = unit.sharedBy.map { " by \($0.creditCode) \($0.name)" } ?? ""
            return "\(unit.creditCode) declaration \(year): shared canteen (共用食堂) declared\(declarer)"
        case .returned:
            let why = unit.returned.map { " (version \($0.version), \($0.returnedAt.prefix(10)): \($0.reason))" } ?? ""
            return "\(unit.creditCode) declaration \(year): returned\(why); to be declared again"
        }
    }
}
