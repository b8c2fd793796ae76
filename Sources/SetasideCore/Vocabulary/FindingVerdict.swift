/// What an inspector found of a purchase.
public enum FindingVerdict: String, Sendable, Hashable, CaseIterable {
    /// The purchase counts (it withdraws an earlier rejection).
    case accept
    /// The purchase stops counting, and its reversals with it; a reason is required.
    case reject
    /// A remark that changes nothing of what counts.
    case note
}
