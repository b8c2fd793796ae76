extension PurchaseRecord {
    /// A reversal (红字冲销) taking back `amount` (positive: what is taken back) of
    /// `original` under the new order number `orderNo`, dated `orderDate`. It repeats the
    /// original's unit, channel, category, origin and festival, as every reversal must;
    /// what is left of the original to take back is the store's to check.
    ///
    /// Problems name the fields of the request: `orderNo`, `amount`, `reversalOf`.
    public static func reversal(of original: Purchase, orderNo: String, orderDate: CalendarDate,
                                amount: Money) throws(ImportError) -> PurchaseRecord {
        var problems: [InputProblem] = []
        var number: String?
        do {
            number = try FieldValue.orderNumber(String(FieldValue.trimmed(orderNo)))
        } catch {
            problems.append(InputProblem.field("orderNo", error.reason))
        }
        if let number, number == original.orderNo {
            problems.append(InputProblem.field("orderNo", "a reversal needs an order number of its own, not \(number)"))
        }
        if amount <= .zero {
            problems.append(InputProblem.field("amount", "is the amount taken back, a positive number of yuan"))
        }
        guard problems.isEmpty, let number else { throw .rejected(problems) }
        var reversal = original.record
        reversal.orderNo = number
        reversal.orderDate = orderDate
        reversal.amount = -amount
        reversal.status = .completed
        reversal.reversalOf = original.orderNo
        return reversal
    }
}
