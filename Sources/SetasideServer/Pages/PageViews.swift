import SetasideCore

/// The compliance report as the pages show it: amounts as 元 with thousands separators,
/// statuses and declaration states in the reader's words, bars as a whole percentage.
/// Only presentation: every figure comes from the report as the core computed it.
enum PageViews {
    static func quantity(_ quantity: RuleQuantity?, _ words: PageCatalogue) -> String? {
        switch quantity {
        case .money(let money)?: "\(money.groupedYuanString) \(words["yuan"])"
        case .count(let count)?: String(count)
        case nil: nil
        }
    }

    /// How far `actual` is toward `required`, 0–100.
    static func percent(actual: RuleQuantity?, required: RuleQuantity?) -> Int? {
        switch (actual, required) {
        case (.money(let done)?, .money(let owed)?) where owed.fen > 0: Int(done.parts(of: owed))
        case (.count(let done)?, .count(let owed)?) where owed > 0: min(100, max(0, done * 100 / owed))
        default: nil
        }
    }

    static func rule(_ rule: RuleResult, _ words: PageCatalogue) -> [String: Any] {
        var values: [String: Any] = [
            "name": rule.name, "status": rule.status.rawValue, "statusLabel": words["status_\(rule.status.rawValue)"],
            "encouraged": rule.strength == .encouraged,
        ]
        values["required"] = quantity(rule.required, words)
        values["actual"] = quantity(rule.actual, words)
        if rule.status == .short { values["shortfall"] = quantity(rule.shortfall, words) }
        values["ratio"] = rule.ratio.map { $0 + "%" }
        values["projection"] = rule.projection.map { $0 + "%" }
        values["waiver"] = rule.waiver.map { "\(Ratio.text(basisPoints: $0.basisPoints))% (\($0.document))" }
        if rule.status != .notApplicable, let percent = percent(actual: rule.actual, required: rule.required) {
            values["hasBar"] = true
            values["percent"] = percent
        }
        return values
    }

    static func declaration(_ unit: UnitCompliance, _ words: PageCatalogue) -> [String: Any] {
        var values: [String: Any] = ["state": unit.declaration.rawValue, "label": words["declaration_\(unit.declaration.rawValue)"]]
        values["deadline"] = unit.deadline?.iso
        if unit.declaration == .returned { values["returned"] = unit.returned?.reason }
        return values
    }

    /// The money a unit falls short by over its required rules (the overview's sort).
    static func shortfall(_ unit: UnitCompliance) -> Money {
        unit.rules.reduce(Money.zero) { total, rule in
            guard rule.status == .short, rule.strength == .required, case .money(let money)? = rule.shortfall else { return total }
            return total + money
        }
    }

    /// A form field as the `field` partial renders it: its label in the reader's words,
    /// the value typed, and the problems found with it (by the field's name) as its error.
    static func field(_ name: String, label: String, value: String, problems: [InputProblem], words: PageCatalogue,
                      required: Bool = false, type: String? = nil) -> [String: Any] {
        var field: [String: Any] = ["name": name, "label": words[label], "value": value, "required": required]
        field["type"] = type
        let reasons = problems.filter { $0.field == name }.map { PageProblems.wording($0, words: words) }
        if !reasons.isEmpty { field["error"] = "\(words["fieldInvalid"]): \(reasons.joined(separator: "; "))" }
        return field
    }

    /// `field` as a choice among `options` (value, catalogue key), the typed one selected.
    static func choice(_ field: [String: Any], _ options: [(String, String)], words: PageCatalogue) -> [String: Any] {
        var field = field
        let selected = field["value"] as? String ?? ""
        field["hasOptions"] = true
        field["options"] = options.map { ["value": $0.0, "label": words[$0.1], "selected": $0.0 == selected] }
        return field
    }

    /// The years a reader may choose: the last five up to this one.
    static func years(selected: Int, current: Int) -> [[String: Any]] {
        (max(2000, current - 4)...max(current, selected)).reversed().map { ["value": $0, "selected": $0 == selected] }
    }
}
