extension PurchaseRecord {
    /// A reversal (红字冲销) taking back `amount` (positive: what is taken back) of
    /// `original` under the new order number `orderNo`, dated `orderDate`. It repeats the
    /// original's unit, channel, category, origin and festival, as every reversal must;
    /// what is left of the original to take back is the store's to check.
    ///
    /// Problems name the fields of the request: `orderNo`, `amount`, `reversalOf`.
    public static func reversal(of original: Purchase, orderNo: String, orderDate: CalendarDate,
                                amount: Money) throws(ImportError) -> PurchaseRecord {
        var problems: [ImportProblem] = []
        var number: String?
        do {
            number = try FieldValue.orderNumber(String(FieldValue.trimmed(orderNo)))
        } catch {
            problems.append(ImportProblem(line: 0, field: "orderNo", reason: error.reason))
        }
        if let number, number == original.orderNo {
            problems.append(ImportProblem(line: 0, field: "orderNo", reason: "a reversal needs an order number of its own, not \(number)"))
        }
        if amount <= .zero {
            problems.append(ImportProblem(line: 0, field: "amount", reason: "is the amount taken back, a positive number of yuan"))
        }
        let unit = try? CreditCode(parsing: original.creditCode)
        let origin = try? DivisionCode(parsing: original.originCode)
        guard problems.isEmpty, let number, let unit, let origin else {
            if unit == nil || origin == nil {
                problems.append(ImportProblem(line: 0, field: "reversalOf", reason: "order \(original.orderNo) has a unit or origin that is no longer valid"))
            }
            throw .rejected(problems)
        }
        return PurchaseRecord(line: 0, creditCode: unit, orderNo: number, orderDate: orderDate, channel: original.channel,
                              category: original.category, originCode: origin, amount: -amount, status: .completed,
                              festival: original.festival, reversalOf: original.orderNo)
    }
}
