/// A set of rules a jurisdiction sets for some years (a policy pack).
///
/// Packs are data: they ship in the database and are read into this type.
public struct PolicyPack: Sendable, Hashable {
    public var id: String
    public var title: String
    /// The region the pack governs, with everything under it in the region tree.
    public var jurisdiction: DivisionCode
    public var yearFrom: Int
    /// The last year in force, or nil when the pack has no end.
    public var yearTo: Int?
    /// The documents the pack is drawn from.
    public var source: String
    /// The rules, in the pack's order.
    public var rules: [PolicyRule]
    /// The day by which a unit declares its year, by year (2024: 2024-02-20), where the
    /// pack's notices set one.
    public var deadlines: [Int: CalendarDate] = [:]

    public init(
        id: String, title: String, jurisdiction: DivisionCode, yearFrom: Int, yearTo: Int?,
        source: String, rules: [PolicyRule]
    ) {
        self.id = id
        self.title = title
        self.jurisdiction = jurisdiction
        self.yearFrom = yearFrom
        self.yearTo = yearTo
        self.source = source
        self.rules = rules
    }

    /// Whether the pack is in force in `year`.
    public func isInForce(in year: Int) -> Bool {
        year >= yearFrom && (yearTo.map { year <= $0 } ?? true)
    }

    /// The years in force, for people: `2022–2025`, `2021 onward`.
    public var yearsText: String {
        yearTo.map { "\(yearFrom)–\($0)" } ?? "\(yearFrom) onward"
    }
}
