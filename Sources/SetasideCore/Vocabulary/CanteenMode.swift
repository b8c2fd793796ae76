/// How a unit's canteen is run, as the 832 declaration form asks it.
public enum CanteenMode: String, Sendable, Hashable, CaseIterable {
    /// Run by the unit itself.
    case own
    /// Run by a contractor (外包): the unit still declares and owes the share.
    case outsourced
    /// Shared by several units (共用食堂): one of them declares for the group.
    case shared
}
