/// A change of a stored order's status, appended to the ledger, never an edit: an unpaid
/// order paid (it then counts on its order date) or cancelled, a completed order refunded
/// whole. A partial refund is a reversal of the refunded amount, not a status change.
public struct StatusChange: Sendable, Hashable {
    public var from: PurchaseStatus
    public var to: PurchaseStatus
    /// The day it changed (paid, cancelled, refunded).
    public var changedOn: CalendarDate
    /// When it was booked (ISO 8601, UTC) and by whom, once stored.
    public var bookedAt: String?
    public var bookedBy: String?

    public init(from: PurchaseStatus, to: PurchaseStatus, changedOn: CalendarDate, bookedAt: String? = nil,
                bookedBy: String? = nil) {
        self.from = from
        self.to = to
        self.changedOn = changedOn
        self.bookedAt = bookedAt
        self.bookedBy = bookedBy
    }

    /// The changes an order may go through; each status is left at most once.
    public static let allowed: [(from: PurchaseStatus, to: PurchaseStatus)] = [
        (.pending, .completed), (.pending, .cancelled), (.completed, .refunded),
    ]

    /// Whether an order now `current` may become `next`.
    public static func isAllowed(from current: PurchaseStatus, to next: PurchaseStatus) -> Bool {
        allowed.contains { $0.from == current && $0.to == next }
    }

    /// Why an order now `current` may not become `next`, in words for the one who asked
    /// (the texts may be SQL pieces that splice in the values).
    public static func refusal(orderNo: String, from current: String, to next: String) -> String {
        "order \(orderNo) is \(current); it cannot become \(next) "
            + "(an order goes from pending to completed or cancelled, and from completed to refunded)"
    }

    /// Why a completed order with reversals is not refunded whole.
    public static func partlyRefunded(orderNo: String) -> String {
        "order \(orderNo) has reversals (partial refunds); book what is left as a reversal, not as refunded"
    }

    /// Why a change dated `day` is refused for an order dated `orderDate`: an order is
    /// paid, cancelled or refunded on or after the day it was placed.
    public static func dayProblem(_ day: CalendarDate, orderDate: CalendarDate) -> String? {
        day < orderDate ? "\(day.iso) is before the order's date \(orderDate.iso); a change is dated on or after it" : nil
    }

    /// `allowed` as SQL rows `(from_status, to_status)`, for the checks of a file.
    public static var allowedSQL: String {
        "(VALUES " + allowed.map { "('\($0.from.rawValue)', '\($0.to.rawValue)')" }.joined(separator: ", ") + ")"
    }

    /// Its JSON object: `{"from", "to", "changedOn", "bookedAt", "bookedBy"}`.
    public var json: String {
        "{\"from\": \(JSONText.string(from.rawValue)), \"to\": \(JSONText.string(to.rawValue)), "
            + "\"changedOn\": \(JSONText.string(changedOn.iso)), \"bookedAt\": \(JSONText.optional(bookedAt)), "
            + "\"bookedBy\": \(JSONText.optional(bookedBy))}"
    }
}
