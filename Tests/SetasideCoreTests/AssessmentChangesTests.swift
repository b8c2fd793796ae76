import SetasideCore
import Testing

/// What moved since a snapshot, without a database: result changes first, then figures,
/// entries under their unit.
@Suite struct AssessmentChangesTests {
    static let snapshot = AssessmentSnapshot(id: 7, year: 2024, region: "140000", asOf: nil, frozenAt: "2025-01-31T08:00:00Z",
                                             frozenBy: "admin", auditHead: nil)

    @Test func resultChangesComeFirstAndUnchangedUnitsAreLeftOut() {
        let frozen = [
            FrozenUnit(creditCode: "B", name: "乙", overall: .met, figures: "r1 met 100.00/20.00; r2 met -/5.00"),
            FrozenUnit(creditCode: "A", name: "甲", overall: .met, figures: "r1 met 100.00/12.00"),
            FrozenUnit(creditCode: "C", name: "丙", overall: .short, figures: "r1 short 100.00/1.00"),
            FrozenUnit(creditCode: "D", name: "丁", overall: .met, figures: "r1 met 100.00/50.00"),
        ]
        let live = [
            FrozenUnit(creditCode: "B", name: "乙", overall: .met, figures: "r1 met 100.00/19.00; r2 met -/5.00"),
            FrozenUnit(creditCode: "A", name: "甲", overall: .short, figures: "r1 short 100.00/8.00"),
            FrozenUnit(creditCode: "C", name: "丙", overall: .short, figures: "r1 short 100.00/1.00"),
            FrozenUnit(creditCode: "E", name: "戊", overall: .met, figures: "r1 met 100.00/10.00"),
        ]
        let entries = [
            BookedEntry(kind: .reversal, creditCode: "A", orderNo: "R1", detail: "-4.00", bookedAt: "t1"),
            BookedEntry(kind: .purchase, creditCode: "C", orderNo: "X", detail: "1.00", bookedAt: "t2"),
        ]
        let changes = AssessmentChanges(snapshot: Self.snapshot, frozen: frozen, live: live, entries: entries)
        // A's result changed; D left the scope and E entered it (results changed too); B's figures only.
        #expect(changes.units.map(\.creditCode) == ["A", "D", "E", "B"])
        #expect(changes.units.map(\.resultChanged) == [true, true, true, false])
        #expect(changes.units.first?.entries.map(\.orderNo) == ["R1"])
        let b = changes.units.last
        #expect(b?.rules.map(\.rule) == ["r1"])
        #expect(b?.rules.first?.frozen == "r1 met 100.00/20.00" && b?.rules.first?.live == "r1 met 100.00/19.00")
        #expect(changes.otherEntries.map(\.orderNo) == ["X"])
        #expect(changes.text().contains("A 甲: result 达标 → 未达标"))
    }
}
