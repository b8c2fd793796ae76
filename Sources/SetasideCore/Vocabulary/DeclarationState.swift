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
    /// Declared as a member of a shared canteen (共用食堂): the unit named in the report's
    /// `sharedBy` declares for the group.
    case sharedBy
    /// The latest version was returned by its reviewer: the unit has to declare again
    /// (the rules read the latest version not returned, if any).
    case returned

    /// The state of a unit-year's declarations against the year's `deadline` (nil: none
    /// set): `returned` when the latest version was sent back, else that of the latest.
    public static func of(_ history: DeclarationHistory, deadline: CalendarDate?) -> DeclarationState {
        if history.isReturned { return .returned }
        return of(history.latest?.declaration, deadline: deadline)
    }

    /// The state of `declaration` against the year's `deadline` (nil: none set).
    public static func of(_ declaration: Declaration?, deadline: CalendarDate?) -> DeclarationState {
        guard let declaration else { return .missing }
        if declaration.hasCanteen == false { return .noCanteen }
        if let deadline, let day = declaration.declaredOn, day > deadline { return .late }
        if declaration.canteenMode == .shared { return .sharedBy }
        return .declared
    }
}
