import PostgresNIO
import SetasideCore

extension Store {
    /// Books a status change of the stored order `purchase` (not a reversal) to `next`,
    /// dated `day` (default today in China), under the order's lock: allowed only as
    /// `StatusChange.allowed` says, and a whole refund only without reversals. Returns the
    /// purchase after, and whether a change was booked (false when it is `next` already).
    public func changeStatus(of purchase: Purchase, to next: PurchaseStatus, on day: CalendarDate?, actor: String)
        async throws -> (purchase: Purchase, booked: Bool) {
        try await transaction { connection in
            let unit = purchase.creditCode.text, order = purchase.orderNo
            _ = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(AdvisoryLocks.allOrders(.shared)), "
                + AdvisoryLocks.order("'\(unit.replacingOccurrences(of: "'", with: "''"))'",
                                          "'\(order.replacingOccurrences(of: "'", with: "''"))'")), logger: logger).collect()
            guard let current = try await self.purchase(id: purchase.id, on: connection) else {
                throw StoreError.notFound("purchase \(purchase.id)")
            }
            if current.reversalOf != nil {
                throw StoreError.conflict("purchase \(current.id) is a reversal; its status follows its original order \(current.reversalOf ?? "")")
            }
            if current.status == next { return (current, false) }
            if let day, let problem = StatusChange.dayProblem(day, orderDate: current.orderDate) {
                throw ImportError.rejected([InputProblem.field("changed_on", problem)])
            }
            guard StatusChange.isAllowed(from: current.status, to: next) else {
                throw StoreError.conflict(StatusChange.refusal(orderNo: order, from: current.status.rawValue, to: next.rawValue))
            }
            if next == .refunded {
                let reversals = try await connection.query("""
                    SELECT 1 FROM purchases WHERE credit_code = \(unit) AND reversal_of = \(order) LIMIT 1
                    """, logger: logger).collect()
                if !reversals.isEmpty { throw StoreError.conflict(StatusChange.partlyRefunded(orderNo: order)) }
            }
            try await connection.query("""
                INSERT INTO purchase_status_changes (credit_code, order_no, from_status, to_status, changed_on, booked_by)
                VALUES (\(unit), \(order), \(current.status.rawValue), \(next.rawValue),
                        coalesce(\(day?.iso)::date, \(unescaped: Self.todayInChina)), \(actor))
                """, logger: logger)
            guard let after = try await self.purchase(id: purchase.id, on: connection) else {
                throw StoreError.notFound("purchase \(purchase.id)")
            }
            return (after, true)
        }
    }
}
