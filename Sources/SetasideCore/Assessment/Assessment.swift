/// The yearly assessment (年度考核) of a scope: the compliance report's figures, computed
/// by the same code, laid out for an assessment office: the units with their overall
/// result, the roll-up by region at every level inside the scope and by supervising
/// unit, and the packing rows of the village-assistance assessment.
public struct Assessment: Sendable {
    public var report: ComplianceReport
    /// The scope: a region (its code and name), or the whole country.
    public var scope: RegionReference
    /// The day the figures are taken on, when the year was in progress.
    public var asOf: CalendarDate?
    /// When it was made (ISO 8601, UTC).
    public var madeAt: String
    /// The audit chain's last hash when it was made.
    public var auditHead: String?
    /// Per unit, its purchases of the year rejected by findings.
    public var rejectedPurchases: [String: Int]
    /// The policy packs whose rules the report applies, with their thresholds.
    public var packs: [PolicyPack]
    /// Whether the figures are today's or a snapshot's.
    public var figures: AssessmentFigures = .live

    public init(report: ComplianceReport, scope: RegionReference, asOf: CalendarDate?, madeAt: String, auditHead: String?,
                rejectedPurchases: [String: Int], packs: [PolicyPack] = []) {
        self.packs = packs
        self.report = report
        self.scope = scope
        self.asOf = asOf
        self.madeAt = madeAt
        self.auditHead = auditHead
        self.rejectedPurchases = rejectedPurchases
    }

    /// The roll-up by region (地区汇总) at every level inside the scope: the scope's region
    /// and those below it.
    public var regions: [ComplianceRollup] {
        let all = ComplianceRollup.byRegion(report)
        guard scope.code != DivisionCode.country.text else { return all }
        var inside = Set<String>()
        for unit in report.units {
            guard let top = unit.regions.firstIndex(where: { $0.code == scope.code }) else { continue }
            inside.formUnion(unit.regions[...top].map(\.code))
        }
        return all.filter { inside.contains($0.key) }
    }

    /// The packing rows (包销): one per assisting unit and assisted village, with the
    /// amount bought from it and the unit's packing result.
    public var packing: [(creditCode: String, village: String, amount: Money, status: RuleStatus)] {
        report.units.flatMap { unit in
            unit.rules.filter { $0.kind == .packing && $0.status != .notApplicable }.flatMap { rule in
                rule.villages.map { (unit.creditCode, $0.village, $0.amount, rule.status) }
            }
        }
    }

    /// The assessment as JSON: `year`, `scope`, `asOf`, `madeAt`, `auditHead`, `snapshot`
    /// (the frozen snapshot shown, or null), `figures` (`frozen` or `live`),
    /// `latestSnapshot` (live figures of a frozen scope: the snapshot they are not),
    /// `units` (each with `level`, `parent`, `declaration`, `overall`, `rejectedPurchases`
    /// and the report's `rules` unchanged), `regions`, `supervising` and `packing`.
    public func json() -> String {
        var out = JSONWriter()
        out.raw("{\"year\": \(report.year), \"scope\": {\"code\": "); out.string(scope.code)
        out.raw(", \"name\": "); out.string(scope.name)
        out.raw("}, \"asOf\": "); out.optional(asOf?.iso)
        out.raw(", \"madeAt\": "); out.string(madeAt)
        out.raw(", \"auditHead\": "); out.optional(auditHead)
        out.raw(", \"snapshot\": \(figures.snapshot?.json ?? "null")")
        out.raw(", \"figures\": \(figures.snapshot == nil ? "\"live\"" : "\"frozen\"")")
        if case .liveSince(let latest) = figures { out.raw(", \"latestSnapshot\": \(latest.json)") }
        out.raw(", \"units\": [")
        for (index, unit) in report.units.enumerated() {
            out.raw(index > 0 ? ",\n  " : "\n  ")
            out.raw("{\"creditCode\": "); out.string(unit.creditCode)
            out.raw(", \"name\": "); out.string(unit.name)
            out.raw(", \"region\": "); out.string(unit.region)
            out.raw(", \"level\": "); out.optional(unit.level?.rawValue)
            out.raw(", \"parent\": "); out.optional(unit.parent)
            out.raw(", \"declaration\": "); out.string(unit.declaration.rawValue)
            out.raw(", \"overall\": "); out.string(unit.overall.rawValue)
            out.raw(", \"rejectedPurchases\": \(rejectedPurchases[unit.creditCode] ?? 0)")
            ComplianceReport.writeRules(unit.rules, to: &out)
            out.raw("}")
        }
        out.raw(report.units.isEmpty ? "]" : "\n]")
        let regions = regions, supervising = ComplianceRollup.bySupervisingUnit(report)
        out.raw(", \"regions\": [" + regions.map { "\n  " + $0.json }.joined(separator: ",") + (regions.isEmpty ? "]" : "\n]"))
        out.raw(", \"supervising\": [" + supervising.map { "\n  " + $0.json }.joined(separator: ",")
                + (supervising.isEmpty ? "]" : "\n]"))
        let rows = packing.map { row in
            "{\"creditCode\": \(JSONText.string(row.creditCode)), \"village\": \(JSONText.string(row.village)), "
                + "\"amount\": \(JSONText.string(row.amount.yuanString)), \"status\": \(JSONText.string(row.status.rawValue))}"
        }
        out.raw(", \"packing\": [" + rows.map { "\n  " + $0 }.joined(separator: ",") + (rows.isEmpty ? "]}\n" : "\n]}\n"))
        return out.text
    }
}
