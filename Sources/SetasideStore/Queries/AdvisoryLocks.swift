import PostgresNIO

/// The advisory locks writers take, as SQL expressions, in one place. A unit's lock
/// serializes its declarations' versions and its reversals; an order's lock, what is
/// left of the order (reversals) and its status. A single write takes the key's lock
/// after the shared lock of its whole key space; a file over `perKeyLimit` keys takes
/// the key space's lock exclusively instead of one lock per key: the server's lock table
/// holds a few thousand locks in all, not one per unit or order of a province.
enum AdvisoryLocks {
    enum Mode { case shared, exclusive }

    /// The most keys a transaction locks one by one.
    static let perKeyLimit = 1_000

    /// The lock of the unit `creditCode` (a SQL text expression).
    static func unit(_ creditCode: String) -> String {
        "pg_advisory_xact_lock(4227101, hashtext(\(creditCode)))"
    }

    /// The lock of every unit.
    static func allUnits(_ mode: Mode) -> String {
        mode == .shared ? "pg_advisory_xact_lock_shared(4227105)" : "pg_advisory_xact_lock(4227105)"
    }

    /// The lock of the order `orderNo` of the unit `creditCode` (SQL text expressions).
    static func order(_ creditCode: String, _ orderNo: String) -> String {
        "pg_advisory_xact_lock(4227103, hashtext(\(creditCode) || E'\\x1f' || \(orderNo)))"
    }

    /// The lock of every order.
    static func allOrders(_ mode: Mode) -> String {
        mode == .shared ? "pg_advisory_xact_lock_shared(4227104)" : "pg_advisory_xact_lock(4227104)"
    }

    /// Locks the orders `keys` selects (`credit_code, order_no`), in key order, after the
    /// shared lock of every order; over `perKeyLimit` of them, every order's lock instead.
    static func lockOrders(selectedBy keys: String, on connection: PostgresConnection, logger: Logger) async throws {
        var count = 0
        for try await n in try await connection.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM (\(keys)) k"),
                                                       logger: logger).decode(Int.self) { count = n }
        guard count > 0 else { return }
        if count > perKeyLimit {
            _ = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(allOrders(.exclusive))"), logger: logger).collect()
            return
        }
        _ = try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(allOrders(.shared))"), logger: logger).collect()
        // Read to the end: an error (a deadlock) is in its rows, not in the call.
        _ = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT count(\(order("o.credit_code", "o.order_no"))) FROM (SELECT * FROM (\(keys)) k ORDER BY 1, 2) o (credit_code, order_no)
            """), logger: logger).collect()
    }
}
