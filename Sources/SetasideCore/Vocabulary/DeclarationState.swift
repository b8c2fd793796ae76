/// Where a unit-year's declaration stands, as the report says it.
public enum DeclarationState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Declared by the deadline (or on a day not given: old files are not all late).
    case declared
    /// Declared after the pack-year's deadline.
    case late
    /// No declaration stored for the year, whatever the unit's own flags.
    case missing
    /// Declared 无食堂: no reservation owed that year.
    case noCanteen

    /// The state of `declaration` against the year's `deadline` (nil: none set).
    public static func of(_ declaration: Declaration?, deadline: CalendarDate?) -> DeclarationState {
        guard let declaration else { return .missing }
        if declaration.hasCanteen == false { return .noCanteen }
        if let deadline, let day = declaration.declaredOn, day > deadline { return .late }
        return .declared
    }
}
