/// The state of an order as the platform reports it. Only `completed` orders count.
public enum PurchaseStatus: String, Sendable, Codable, CaseIterable, Hashable {
    case completed
    case cancelled
    case refunded
    /// Not paid yet (待付款 / 未支付): stored and shown, never counted.
    case pending
}
