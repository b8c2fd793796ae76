extension Notice {
    /// The notice as JSON: `year`, `scope`, `asOf`, `madeAt`, `inProgress`, `totals` and
    /// `byLevel` (counts: `units`, `withCanteen`, `declared`, `notDeclared`, `notStarted`,
    /// `met`, `short`, `declaredTotal`, `reserved`, `bought`, `executionRate`), `regions`
    /// and `units` (rankings, best first), and the lists `notDeclared`, `notStarted`,
    /// `short`, `warnings`. Money as strings with two decimals, shares as in the report.
    public func json() -> String {
        func counts(_ counts: NoticeCounts) -> String {
            "\"units\": \(counts.units), \"withCanteen\": \(counts.withCanteen), \"declared\": \(counts.declared), "
                + "\"notDeclared\": \(counts.notDeclared), \"notStarted\": \(counts.notStarted), \"met\": \(counts.met), "
                + "\"short\": \(counts.short), \"declaredTotal\": \(JSONText.string(counts.declaredTotal.yuanString)), "
                + "\"reserved\": \(JSONText.string(counts.reserved.yuanString)), \"bought\": \(JSONText.string(counts.bought.yuanString)), "
                + "\"executionRate\": \(JSONText.optional(counts.executionRate))"
        }
        func ranking(_ rows: [NoticeRanking], key: String) -> String {
            "[" + rows.enumerated().map { index, row in
                "\n  {\"rank\": \(index + 1), \(JSONText.string(key)): \(JSONText.string(row.code)), \"name\": \(JSONText.string(row.name)), "
                    + "\"units\": \(row.units), \"applicable\": \(row.applicable), \"met\": \(row.met), "
                    + "\"base\": \(JSONText.string(row.base.yuanString)), \"required\": \(JSONText.string(row.required.yuanString)), "
                    + "\"actual\": \(JSONText.string(row.actual.yuanString)), \"completion\": \(JSONText.optional(row.completion)), "
                    + "\"ratio\": \(JSONText.optional(row.ratio)), \"requiredRatio\": \(JSONText.optional(row.requiredRatio)), "
                    + "\"encouragedRatio\": \(JSONText.optional(row.encouragedRatio))}"
            }.joined(separator: ",") + (rows.isEmpty ? "]" : "\n]")
        }
        func list(_ rows: [NamedUnit]) -> String {
            "[" + rows.map { row in
                "\n  {\"creditCode\": \(JSONText.string(row.creditCode)), \"name\": \(JSONText.string(row.name)), "
                    + "\"region\": \(JSONText.string(row.region)), "
                    + "\"supervisingUnit\": \(row.supervisor.map { "{\"creditCode\": \(JSONText.string($0.creditCode)), \"name\": \(JSONText.string($0.name))}" } ?? "null"), "
                    + "\"required\": \(JSONText.optional(row.required?.yuanString)), \"actual\": \(JSONText.optional(row.actual?.yuanString)), "
                    + "\"shortfall\": \(JSONText.optional(row.shortfall?.yuanString)), \"projection\": \(JSONText.optional(row.projection)), "
                    + "\"monthly\": \(JSONText.optional(row.monthly?.yuanString))}"
            }.joined(separator: ",") + (rows.isEmpty ? "]" : "\n]")
        }
        let levels = byLevel.map { "{\"level\": \(JSONText.string($0.group.rawValue)), \(counts($0.counts))}" }
        return "{\"year\": \(year), \"scope\": {\"code\": \(JSONText.string(scope.code)), \"name\": \(JSONText.string(scope.name))}, "
            + "\"asOf\": \(JSONText.optional(asOf?.iso)), \"madeAt\": \(JSONText.string(madeAt)), \"inProgress\": \(inProgress), "
            + "\"totals\": {\(counts(totals))}, \"byLevel\": [\(levels.joined(separator: ", "))], "
            + "\"regions\": \(ranking(regions, key: "code")), \"units\": \(ranking(units, key: "creditCode")), "
            + "\"notDeclared\": \(list(notDeclared)), \"notStarted\": \(list(notStarted)), \"short\": \(list(short)), "
            + "\"warnings\": \(list(warnings))}\n"
    }
}
