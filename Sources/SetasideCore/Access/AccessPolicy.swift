/// Who may do what with whose data. Pure: the caller supplies the unit's place in the
/// region tree; the policy answers yes or no.
///
/// | action | clerk | inspector | admin |
/// |---|---|---|---|
/// | read a unit's data | its own units | units under its region | all |
/// | write purchases, declarations | its own units | no | all |
/// | write assignments, agreements | no | no | all |
/// | write findings, draw spot checks | no | units/regions under its region | all |
public enum AccessPolicy {
    public enum Action: String, Sendable, CaseIterable {
        case read
        case writePurchases
        case writeDeclarations
        case writeLinks
        case writeFindings
    }

    /// Whether `account` may do `action` on the unit `creditCode`, whose region and its
    /// ancestors (nearest first) are `unitAncestry`.
    public static func allows(_ account: Account, _ action: Action, unit creditCode: String,
                              unitAncestry: [String]) -> Bool {
        guard !account.isDisabled else { return false }
        switch account.role {
        case .admin:
            return true
        case .clerk:
            guard account.units.contains(creditCode) else { return false }
            return action == .read || action == .writePurchases || action == .writeDeclarations
        case .inspector:
            guard let region = account.region, unitAncestry.contains(region) else { return false }
            return action == .read || action == .writeFindings
        }
    }

    /// Whether `account`'s role may do `action` on some unit at all: decided before a
    /// request's body is read, so a refused caller learns nothing from its validation.
    public static func mayEver(_ account: Account, _ action: Action) -> Bool {
        guard !account.isDisabled else { return false }
        switch account.role {
        case .admin: return true
        case .clerk: return [.read, .writePurchases, .writeDeclarations].contains(action)
        case .inspector: return account.region != nil && [.read, .writeFindings].contains(action)
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
