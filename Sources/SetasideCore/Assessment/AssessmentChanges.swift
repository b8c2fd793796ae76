/// A unit's result and figures in a snapshot, compared with today's by `AssessmentChanges`.
public struct FrozenUnit: Sendable, Hashable {
    public var creditCode: String
    public var name: String
    public var overall: RuleStatus
    /// One `rule status base/actual` line per rule, `; ` between them.
    public var figures: String

    public init(creditCode: String, name: String, overall: RuleStatus, figures: String) {
        self.creditCode = creditCode
        self.name = name
        self.overall = overall
        self.figures = figures
    }

    public init(_ unit: UnitCompliance) {
        self.init(creditCode: unit.creditCode, name: unit.name, overall: unit.overall, figures: Self.figures(unit.rules))
    }

    /// The rules' figures as one line: `canteen-reserve-10 met 101000.00/14500.00; …`
    /// (`-` for a figure a rule does not have).
    public static func figures(_ rules: [RuleResult]) -> String {
        rules.map { rule in
            "\(rule.rule) \(rule.status.rawValue) \(rule.base?.yuanString ?? "-")/\(rule.actual?.description ?? "-")"
        }.joined(separator: "; ")
    }

    /// Each rule's figures by rule id.
    var byRule: [(rule: String, text: String)] {
        figures.split(separator: "; ").map { part in (String(part.prefix { $0 != " " }), String(part)) }
    }
}

/// An entry booked after a snapshot: a purchase, a reversal, a finding or a status change.
public struct BookedEntry: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case purchase, reversal, finding, statusChange
    }

    public var kind: Kind
    public var creditCode: String
    /// The order it is or concerns (a reversal's own order number, with `detail` naming
    /// the order it reverses).
    public var orderNo: String
    /// The amount, the verdict or the new status, for people.
    public var detail: String
    /// When it was booked (ISO 8601, UTC).
    public var bookedAt: String

    public init(kind: Kind, creditCode: String, orderNo: String, detail: String, bookedAt: String) {
        self.kind = kind
        self.creditCode = creditCode
        self.orderNo = orderNo
        self.detail = detail
        self.bookedAt = bookedAt
    }

    public var json: String {
        "{\"kind\": \(JSONText.string(kind.rawValue)), \"orderNo\": \(JSONText.string(orderNo)), "
            + "\"detail\": \(JSONText.string(detail)), \"bookedAt\": \(JSONText.string(bookedAt))}"
    }
}

/// What moved since a snapshot: every unit whose result or figures differ today (the
/// units whose result changed first), each with the entries booked for it after the
/// freeze.
public struct AssessmentChanges: Sendable {
    public var snapshot: AssessmentSnapshot
    public var units: [ChangedUnit]
    /// Entries booked after the freeze for units whose figures did not move.
    public var otherEntries: [BookedEntry]

    public struct ChangedUnit: Sendable, Hashable {
        public var creditCode: String
        public var name: String
        /// The unit at the freeze (nil: not in the snapshot) and today (nil: no longer in scope).
        public var frozen: FrozenUnit?
        public var live: FrozenUnit?
        public var entries: [BookedEntry]

        public var resultChanged: Bool { frozen?.overall != live?.overall }

        /// The rules whose figures differ: the frozen and today's text of each.
        public var rules: [(rule: String, frozen: String?, live: String?)] {
            let before = Dictionary(frozen?.byRule.map { ($0.rule, $0.text) } ?? [], uniquingKeysWith: { first, _ in first })
            let after = Dictionary(live?.byRule.map { ($0.rule, $0.text) } ?? [], uniquingKeysWith: { first, _ in first })
            var order: [String] = []
            for rule in (frozen?.byRule ?? []).map(\.rule) + (live?.byRule ?? []).map(\.rule) where !order.contains(rule) {
                order.append(rule)
            }
            return order.filter { before[$0] != after[$0] }.map { ($0, before[$0], after[$0]) }
        }
    }

    public init(snapshot: AssessmentSnapshot, frozen: [FrozenUnit], live: [FrozenUnit], entries: [BookedEntry]) {
        self.snapshot = snapshot
        let before = Dictionary(frozen.map { ($0.creditCode, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(live.map { ($0.creditCode, $0) }, uniquingKeysWith: { first, _ in first })
        let byUnit = Dictionary(grouping: entries, by: \.creditCode)
        var changed: [ChangedUnit] = []
        for code in Set(before.keys).union(after.keys) where before[code] != after[code] {
            let unit = after[code] ?? before[code]!
            changed.append(ChangedUnit(creditCode: code, name: unit.name, frozen: before[code], live: after[code],
                                       entries: byUnit[code] ?? []))
        }
        units = changed.sorted { ($0.resultChanged ? 0 : 1, $0.creditCode) < ($1.resultChanged ? 0 : 1, $1.creditCode) }
        let shown = Set(changed.map(\.creditCode))
        otherEntries = entries.filter { !shown.contains($0.creditCode) }
    }

    /// As JSON: `{"snapshot", "units": [{"creditCode", "name", "resultChanged", "frozen":
    /// {"overall", "figures"}|null, "live": …, "rules": [{"rule", "frozen", "live"}],
    /// "entries": [{"kind", "orderNo", "detail", "bookedAt"}]}], "otherEntries": […]}`.
    public func json() -> String {
        func side(_ unit: FrozenUnit?) -> String {
            unit.map { "{\"overall\": \(JSONText.string($0.overall.rawValue)), \"figures\": \(JSONText.string($0.figures))}" } ?? "null"
        }
        let rows = units.map { unit in
            let rules = unit.rules.map {
                "{\"rule\": \(JSONText.string($0.rule)), \"frozen\": \(JSONText.optional($0.frozen)), \"live\": \(JSONText.optional($0.live))}"
            }
            return "{\"creditCode\": \(JSONText.string(unit.creditCode)), \"name\": \(JSONText.string(unit.name)), "
                + "\"resultChanged\": \(unit.resultChanged), \"frozen\": \(side(unit.frozen)), \"live\": \(side(unit.live)), "
                + "\"rules\": [\(rules.joined(separator: ", "))], \"entries\": [\(unit.entries.map(\.json).joined(separator: ", "))]}"
        }
        return "{\"snapshot\": \(snapshot.json), \"units\": [" + rows.map { "\n  " + $0 }.joined(separator: ",")
            + (rows.isEmpty ? "]" : "\n]") + ", \"otherEntries\": [\(otherEntries.map(\.json).joined(separator: ", "))]}\n"
    }

    /// For people: the units, each with its result before and now, the rules that moved
    /// and the entries booked after the freeze.
    public func text() -> String {
        var lines = ["Changes since snapshot #\(snapshot.id) of \(snapshot.year), region \(snapshot.region), frozen at \(snapshot.frozenAt) by \(snapshot.frozenBy):"]
        if units.isEmpty { lines.append("  no unit's result or figures changed.") }
        for unit in units {
            let before = unit.frozen.map { ChineseWords.status($0.overall) } ?? "(not in the snapshot)"
            let now = unit.live.map { ChineseWords.status($0.overall) } ?? "(no longer in scope)"
            lines.append("")
            lines.append("\(unit.creditCode) \(unit.name): \(unit.resultChanged ? "result \(before) → \(now)" : "result \(now), figures moved")")
            for rule in unit.rules {
                lines.append("  \(rule.frozen ?? "(none)") → \(rule.live ?? "(none)")")
            }
            for entry in unit.entries {
                lines.append("  booked \(entry.bookedAt): \(entry.kind.rawValue) \(entry.orderNo) \(entry.detail)")
            }
        }
        if !otherEntries.isEmpty {
            lines.append("")
            lines.append("\(otherEntries.count) other entries booked after the freeze moved no unit's figures.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
