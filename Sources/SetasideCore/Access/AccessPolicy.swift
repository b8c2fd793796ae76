/// Who may do what with whose data. Pure: the caller supplies the unit's place in the
/// region tree; the policy answers yes or no.
///
/// | action | clerk | inspector | admin |
/// |---|---|---|---|
/// | read a unit's data | its own units | units under its region or its supervising unit | all |
/// | write purchases, declarations | its own units | no | all |
/// | write assignments, agreements | no | no | all |
/// | write findings, draw spot checks | no | units/regions under its region | all |
/// | return declarations | no | units under its region or its supervising unit | all |
public enum AccessPolicy {
    public enum Action: String, Sendable, CaseIterable {
        case read
        case writePurchases
        case writeDeclarations
        case writeLinks
        case writeFindings
        case reviewDeclarations
    }

    /// Whether `account` may do `action` on the unit `creditCode`, whose region and its
    /// ancestors (nearest first) are `unitAncestry`, and whose supervising units (the
    /// unit itself first, then the unit above it, …) are `supervisingChain`.
    public static func allows(_ account: Account, _ action: Action, unit creditCode: String,
                              unitAncestry: [String], supervisingChain: [String] = []) -> Bool {
        guard mayEver(account, action) else { return false }
        switch account.role {
        case .admin: return true
        case .clerk: return account.units.contains(creditCode)
        case .inspector:
            if account.region.map(unitAncestry.contains) == true { return true }
            // Bound to a supervising unit: it reads the tree and returns its declarations;
            // findings stay with the inspectors of a region.
            guard [.read, .reviewDeclarations].contains(action) else { return false }
            return account.supervising.map((supervisingChain.isEmpty ? [creditCode] : supervisingChain).contains) == true
        }
    }

    /// Whether `account`'s role may do `action` on some unit at all: decided before a
    /// request's body is read, so a refused caller learns nothing from its validation.
    public static func mayEver(_ account: Account, _ action: Action) -> Bool {
        guard !account.isDisabled, account.role != .inspector || account.region != nil || account.supervising != nil
        else { return false }
        return actions(of: account.role).contains(action)
    }

    /// What a role may do, on the units it reaches (the table above).
    static func actions(of role: Role) -> Set<Action> {
        switch role {
        case .admin: Set(Action.allCases)
        case .clerk: [.read, .writePurchases, .writeDeclarations]
        case .inspector: [.read, .writeFindings, .reviewDeclarations]
        }
    }

    /// Whether `account` may read or inspect the region `code` as a whole (a region's
    /// report, a spot check), given the region's ancestry (itself first).
    public static func allowsRegion(_ account: Account, regionAncestry: [String]) -> Bool {
        guard !account.isDisabled else { return false }
        switch account.role {
        case .admin: return true
        case .clerk: return false
        case .inspector: return account.region.map(regionAncestry.contains) ?? false
        }
    }
}
