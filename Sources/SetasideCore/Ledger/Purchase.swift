/// A stored purchase: the record as it was stored, its id, and whether it counts.
/// The record's fields read as the purchase's own (`purchase.orderNo`).
@dynamicMemberLookup
public struct Purchase: Sendable, Hashable {
    public var id: Int64
    /// What was stored (its `line` is 0: a stored purchase comes from no file now).
    public var record: PurchaseRecord
    /// Whether it counts toward the rules: completed and not rejected by the latest
    /// accept/reject finding (a reversal follows its original).
    public var counted: Bool
    /// The order's status changes, oldest first; `record.status` is its current status
    /// (the last change's, else the one it was stored with).
    public var history: [StatusChange] = []

    public init(id: Int64, record: PurchaseRecord, counted: Bool, history: [StatusChange] = []) {
        self.id = id
        self.record = record
        self.counted = counted
        self.history = history
    }

    /// The status it was stored with.
    public var storedStatus: PurchaseStatus { history.first?.from ?? record.status }

    public subscript<Value>(dynamicMember field: KeyPath<PurchaseRecord, Value>) -> Value {
        record[keyPath: field]
    }
}
