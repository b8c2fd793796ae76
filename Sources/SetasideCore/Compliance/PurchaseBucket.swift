/// The counted amount of a unit's purchases that share every property a rule can
/// ask about. The store sums the ledger into buckets; the rules read only buckets,
/// so they never see a purchase that does not count.
///
/// `amount` is already net: cancelled and refunded orders and reversals are taken out
/// before a bucket is made. Orders rejected by an inspector come in buckets of their
/// own (`rejected`), which count toward no rule but stay in the logged canteen food of
/// a base: a rejection never improves a ratio.
public struct PurchaseBucket: Sendable, Hashable {
    public var channel: PurchaseChannel
    public var category: PurchaseCategory
    /// The origin's county (the first six digits) is poverty-relieved (脱贫县).
    public var countyPovertyRelieved: Bool
    /// The origin itself, or its county, is poverty-relieved.
    public var originPovertyRelieved: Bool
    /// The origin is a poverty-relieved village and the unit had a directed agreement
    /// with it on the order date.
    public var directedFromRelievedVillage: Bool
    /// The origin village when it was one of the unit's assisted villages that year.
    public var assistedVillage: String?
    /// The festival of a `unionFestival` purchase.
    public var festival: String?
    /// The latest finding on these orders rejects them.
    public var rejected: Bool
    public var amount: Money

    public init(
        channel: PurchaseChannel, category: PurchaseCategory, countyPovertyRelieved: Bool,
        originPovertyRelieved: Bool, directedFromRelievedVillage: Bool = false,
        assistedVillage: String? = nil, festival: String? = nil, rejected: Bool = false, amount: Money
    ) {
        self.channel = channel
        self.category = category
        self.countyPovertyRelieved = countyPovertyRelieved
        self.originPovertyRelieved = originPovertyRelieved
        self.directedFromRelievedVillage = directedFromRelievedVillage
        self.assistedVillage = assistedVillage
        self.festival = festival
        self.rejected = rejected
        self.amount = amount
    }
}
