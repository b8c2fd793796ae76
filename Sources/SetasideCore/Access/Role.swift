/// What an account is for.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    /// An agency clerk (单位经办人), bound to one or more units.
    case clerk
    /// An inspector (督查/审计人员), bound to a region and everything under it.
    case inspector
    /// An administrator: regions, units, accounts, assignments and agreements.
    case admin
}
