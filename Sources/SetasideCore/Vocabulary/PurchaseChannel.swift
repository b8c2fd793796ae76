/// Where a purchase was made.
public enum PurchaseChannel: String, Sendable, Codable, CaseIterable, Hashable {
    /// The national 832 platform (脱贫地区农副产品网络销售平台).
    case platform832
    /// A local consumption-assistance platform (地方消费帮扶平台).
    case localPlatform
    /// Bought directly from a village under a directed agreement.
    case directed
    case other
}
