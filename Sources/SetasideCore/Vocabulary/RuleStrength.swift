/// How much a rule weighs in a unit's overall result.
public enum RuleStrength: String, Sendable, Codable, CaseIterable, Hashable {
    /// Falling short of it makes the unit short overall (未达标).
    case required
    /// Reported met or short like any other rule, but never makes the unit short
    /// overall: the seeds encourage it (鼓励), they do not require it.
    case encouraged
}
