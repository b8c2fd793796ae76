/// The state of an order as the platform reports it. Only `completed` orders count.
public enum PurchaseStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case completed
    case cancelled
    case refunded
}
