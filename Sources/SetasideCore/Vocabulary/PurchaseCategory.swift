/// What a purchase was for.
public enum PurchaseCategory: String, Sendable, Codable, CaseIterable, Hashable {
    /// Canteen food (食堂食材): the base of the reservation rules.
    case canteenFood
    /// Trade-union welfare (工会福利).
    case unionWelfare
    /// Trade-union festival gifts (节日慰问品); such a row names its festival.
    case unionFestival
    /// Guaranteed sale of an assisted village's products (包销).
    case packing
    case other
}
