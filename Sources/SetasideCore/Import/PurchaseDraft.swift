/// A purchase as it arrives, before it is a record: each field decoded from its source
/// (a file's row, a JSON body, a form), nil where it is missing or did not decode. The
/// checks across fields live here once (`checked`), whatever the source.
///
/// Problems name the purchases file's columns (`origin_code`); a request renames them to
/// its own fields (`InputProblem.inJSONTerms`).
public struct PurchaseDraft: Sendable, Hashable {
    /// The file line of the row; 0 for a purchase that came from no file.
    public var line: Int
    public var creditCode: CreditCode?
    public var orderNo: String?
    public var orderDate: CalendarDate?
    public var channel: PurchaseChannel?
    public var category: PurchaseCategory?
    public var originCode: DivisionCode?
    public var amount: Money?
    public var status: PurchaseStatus?
    /// The festival as written (`春节`, `springFestival`), or nil when none is given.
    public var festival: String?
    /// The order number this purchase reverses, or nil for an order.
    public var reversalOf: String?
    public var supplierName: String?
    public var supplierCreditCode: CreditCode?
    public var product: String?

    /// An empty draft of the row at `line` (0 for none): its decoder sets the fields.
    public init(line: Int = 0) {
        self.line = line
    }

    /// The checks across fields, on whatever fields decoded: a festival exactly for
    /// union festival gifts (a name not known is kept with a warning: regions have
    /// festivals of their own), an order positive and a reversal negative, a reversal
    /// completed and not reversing itself. The record when every field is there and no
    /// check failed; else nil, with the problems.
    public func checked(warnings: inout [InputProblem]) -> (record: PurchaseRecord?, problems: [InputProblem]) {
        var problems: [InputProblem] = []
        func problem(_ column: String, _ reason: String) {
            problems.append(InputProblem(line: line, field: column, reason: reason))
        }
        // The order a reversal takes back is named by an order number like any other.
        var reversalOf = reversalOf
        if let original = reversalOf {
            do { reversalOf = try FieldValue.orderNumber(original) } catch { problem("reversal_of", error.reason); reversalOf = nil }
        }
        var normalizedFestival: String?
        if category == .unionFestival {
            if let festival, let normalized = Festival.normalize(festival) {
                normalizedFestival = normalized
                if Festival.name(of: normalized) == nil {
                    // Kept, but said: a typo or a gift's name would otherwise count as one
                    // more festival unseen.
                    warnings.append(InputProblem(
                        line: line, field: "festival",
                        reason: "\(FieldValue.shown(festival)) is not one of the known festivals (\(Festival.known.map(\.name).joined(separator: " "))); it is counted as a regional festival of its own"))
                }
            } else if let festival {
                problem("festival", "\(FieldValue.shown(festival)) is not a festival name")
            } else {
                problem("festival", "is empty; a unionFestival purchase names its festival (e.g. springFestival or 春节)")
            }
        } else if category != nil, festival != nil {
            problem("festival", "must be empty unless category is unionFestival")
        }
        if let amount {
            if reversalOf == nil, amount <= .zero {
                problem("amount", "\(amount.yuanString) must be positive; a correction is a reversal row with reversal_of set")
            } else if reversalOf != nil, amount >= .zero {
                problem("amount", "\(amount.yuanString) must be negative in a reversal row")
            }
        }
        if let reversalOf {
            if reversalOf == orderNo { problem("reversal_of", "a row cannot reverse itself") }
            if let status, status != .completed {
                problem("status", "a reversal row is completed, not \(status.rawValue)")
            }
        }
        guard problems.isEmpty, let creditCode, let orderNo, let orderDate, let channel, let category, let originCode,
              let amount, let status
        else { return (nil, problems) }
        return (PurchaseRecord(line: line, creditCode: creditCode, orderNo: orderNo, orderDate: orderDate,
                               channel: channel, category: category, originCode: originCode, amount: amount,
                               status: status, festival: normalizedFestival, reversalOf: reversalOf,
                               supplierName: supplierName, supplierCreditCode: supplierCreditCode, product: product), [])
    }
}
