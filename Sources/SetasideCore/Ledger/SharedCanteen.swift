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
        var found: [(String, String)] = []
        let year = declaration.year
        if declaration.canteenMode == .shared, let declaredBy = declaration.declaredBy {
            if declaredBy == unit {
                found.append(("declared_by", "names the unit itself; a unit that declares for its canteen declares it as own or outsourced"))
            } else if declarer?.canteenMode == .shared {
                found.append(("declared_by", "\(declaredBy) itself declares its canteen as shared (declared by \(declarer?.declaredBy ?? "")) "
                              + "for \(year); a unit cannot be declared for by a unit that itself declares as shared"))
            } else if declarer?.hasCanteen == false {
                found.append(("declared_by", "\(declaredBy) declares 无食堂 for \(year); a shared canteen is declared by a unit that has it"))
            }
            if !members.isEmpty {
                found.append(("canteen_mode", "\(members.sorted().joined(separator: ", ")) declare their shared canteen through \(unit) "
                              + "for \(year); it cannot itself declare as shared"))
            }
        } else if declaration.hasCanteen == false, !members.isEmpty {
            found.append(("has_canteen", "\(members.sorted().joined(separator: ", ")) declare their shared canteen through \(unit) "
                          + "for \(year); it cannot declare 无食堂"))
        }
        return found
    }

    /// Whether the unit a member names in `declared_by` covers the shared canteen that
    /// year: it does not itself declare as shared, and has a canteen (as declared, else
    /// by its own flag). A member whose declarer does not is evaluated on its own.
    public static func covers(declaration: Declaration?, unitHasCanteen: Bool) -> Bool {
        declaration?.canteenMode != .shared && (declaration?.hasCanteen ?? unitHasCanteen)
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
