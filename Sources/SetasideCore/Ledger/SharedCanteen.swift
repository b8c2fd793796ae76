/// A shared canteen (共用食堂，由 X 填报): members declare `shared` with `declared_by` the
/// unit that declares for the group. The declaring unit's canteen and directed rules
/// take the whole group (its base is the larger of its declared total and the group's
/// logged canteen food; every member's counted purchases count toward them); each
/// member's canteen and directed rules are not applicable. The checks of who may declare
/// for whom live here once.
public enum SharedCanteen {
    /// Problems (by file column) of storing `declaration` as the declaration that counts
    /// for `unit`: `declarer` is the declaration that counts for the unit it names in
    /// `declared_by` (nil: none), `members` the units whose declaration that counts names
    /// `unit` as declaring for them.
    public static func problems(unit: String, declaration: Declaration, declarer: Declaration?,
                                members: [String]) -> [(column: String, reason: String)] {
        guard declaration.canteenMode == .shared, let declaredBy = declaration.declaredBy else { return [] }
        var found: [(String, String)] = []
        if declaredBy == unit {
            found.append(("declared_by", "names the unit itself; a unit that declares for its canteen declares it as own or outsourced"))
        } else if declarer?.canteenMode == .shared {
            found.append(("declared_by", "\(declaredBy) itself declares its canteen as shared (declared by \(declarer?.declaredBy ?? "")) "
                          + "for \(declaration.year); a unit cannot be declared for by a unit that itself declares as shared"))
        }
        if !members.isEmpty {
            found.append(("canteen_mode", "\(members.sorted().joined(separator: ", ")) declare their shared canteen through \(unit) "
                          + "for \(declaration.year); it cannot itself declare as shared"))
        }
        return found
    }
}

/// A unit named beside another one's result: a shared canteen's declaring unit or member.
public struct UnitReference: Sendable, Hashable {
    public var creditCode: String
    public var name: String

    public init(creditCode: String, name: String) {
        self.creditCode = creditCode
        self.name = name
    }

    /// `{"creditCode": …, "name": …}`.
    public var json: String { "{\"creditCode\": \(JSONText.string(creditCode)), \"name\": \(JSONText.string(name))}" }
}
