/// A stored purchase, as the API shows it.
public struct Purchase: Sendable, Hashable {
    public var id: Int64
    public var creditCode: String
    public var orderNo: String
    public var orderDate: CalendarDate
    public var channel: PurchaseChannel
    public var category: PurchaseCategory
    public var originCode: String
    /// Positive for an order, negative for a reversal.
    public var amount: Money
    public var status: PurchaseStatus
    public var festival: String?
    public var reversalOf: String?
    /// Whether it counts toward the rules: completed and not rejected by the latest
    /// accept/reject finding (a reversal follows its original).
    public var counted: Bool

    public init(id: Int64, creditCode: String, orderNo: String, orderDate: CalendarDate, channel: PurchaseChannel,
                category: PurchaseCategory, originCode: String, amount: Money, status: PurchaseStatus,
                festival: String?, reversalOf: String?, counted: Bool) {
        self.id = id
        self.creditCode = creditCode
        self.orderNo = orderNo
        self.orderDate = orderDate
        self.channel = channel
        self.category = category
        self.originCode = originCode
        self.amount = amount
        self.status = status
        self.festival = festival
        self.reversalOf = reversalOf
        self.counted = counted
    }
}
