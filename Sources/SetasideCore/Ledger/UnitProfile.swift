/// What the rules need to know about a budget unit (预算单位).
public struct UnitProfile: Sendable, Hashable {
    public var creditCode: String
    public var name: String
    public var regionCode: String
    public var level: UnitLevel
    public var hasCanteen: Bool
    /// The unit carries 五进 tasks.
    public var fiveEntries: Bool
    /// The unit assists villages (帮扶单位) in the year of the report: one of its
    /// assignments covers that year. Not a flag for ever: an assignment that ended in
    /// 2022 owes no packing in 2024.
    public var assisting: Bool

    public init(
        creditCode: String, name: String, regionCode: String, level: UnitLevel,
        hasCanteen: Bool, fiveEntries: Bool, assisting: Bool
    ) {
        self.creditCode = creditCode
        self.name = name
        self.regionCode = regionCode
        self.level = level
        self.hasCanteen = hasCanteen
        self.fiveEntries = fiveEntries
        self.assisting = assisting
    }
}
