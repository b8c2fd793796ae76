import PostgresNIO
import SetasideCore

/// The answer to a write, kept for replay under its idempotency key.
public struct StoredResponse: Sendable, Hashable {
    public var status: Int
    public var body: String

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// What became of a write sent with an idempotency key.
public enum IdempotentOutcome: Sendable, Hashable {
    /// Done now.
    case fresh(StoredResponse)
    /// Done before with the same request: the first answer, nothing stored again.
    case replayed(StoredResponse)
    /// The key was used before for a different request.
    case keyReused
}

extension Store {
    /// Runs `body` once per (account, key): a repeat of the same request gets the first
    /// answer back and stores nothing; the same key with another request is refused.
    public func idempotent(
        accountID: Int64, key: String, request: String,
        _ body: (PostgresConnection) async throws -> StoredResponse
    ) async throws -> IdempotentOutcome {
        try await transaction { connection in
            // Two copies of one request arriving together: the second waits for the first.
            try await connection.query("SELECT pg_advisory_xact_lock(4227102, hashtext(\(String(accountID)) || ':' || \(key)))",
                                       logger: logger)
            let rows = try await connection.query("""
                SELECT request_hash = encode(digest(\(request), 'sha256'), 'hex'), status::int, response
                FROM idempotency_keys WHERE account_id = \(accountID) AND key = \(key)
                """, logger: logger)
            for try await (same, status, response) in rows.decode((Bool, Int, String).self) {
                return same ? .replayed(StoredResponse(status: status, body: response)) : .keyReused
            }
            let response = try await body(connection)
            try await connection.query("""
                INSERT INTO idempotency_keys (account_id, key, request_hash, status, response)
                VALUES (\(accountID), \(key), encode(digest(\(request), 'sha256'), 'hex'), \(response.status), \(response.body))
                """, logger: logger)
            return .fresh(response)
        }
    }

    /// Stores one purchase (an order, or a reversal when `reversalOf` is set) with its
    /// audit entry. The same order number with the same content returns the stored
    /// purchase (`created` false); with other content it is a conflict.
    public func createPurchase(_ record: PurchaseRecord, actor: String) async throws -> (purchase: Purchase, created: Bool) {
        try await transaction { connection in try await createPurchase(record, actor: actor, on: connection) }
    }

    /// `createPurchase` inside the caller's transaction.
    public func createPurchase(_ record: PurchaseRecord, actor: String, on connection: PostgresConnection)
        async throws -> (purchase: Purchase, created: Bool) {
        let unit = record.creditCode.text
        // One writer per unit at a time: the checks below still hold at the insert.
        try await connection.query("SELECT pg_advisory_xact_lock(4227101, hashtext(\(unit)))", logger: logger)
        let existing = try await Self.decodePurchases(try await connection.query("""
            SELECT \(unescaped: Self.purchaseColumns) FROM purchases p
            WHERE p.credit_code = \(unit) AND p.order_no = \(record.orderNo)
            """, logger: logger))
        if let stored = existing.first {
            let same = stored.orderDate == record.orderDate && stored.channel == record.channel
                && stored.category == record.category && stored.originCode == record.originCode.text
                && stored.amount == record.amount && stored.status == record.status
                && stored.festival == record.festival && stored.reversalOf == record.reversalOf
            guard same else {
                throw StoreError.conflict("order \(record.orderNo) of \(unit) is stored with different content (purchase \(stored.id))")
            }
            return (stored, false)
        }
        var problems: [ImportProblem] = []
        let origin = try await connection.query("SELECT 1 FROM regions WHERE code = \(record.originCode.text)", logger: logger)
        if try await origin.collect().isEmpty {
            problems.append(ImportProblem(line: 0, field: "originCode", reason: "region \(record.originCode.text) is not stored"))
        }
        var ledgerDate = record.orderDate.iso
        if let reversalOf = record.reversalOf {
            let originals = try await Self.decodePurchases(try await connection.query("""
                SELECT \(unescaped: Self.purchaseColumns) FROM purchases p
                WHERE p.credit_code = \(unit) AND p.order_no = \(reversalOf)
                """, logger: logger))
            if let original = originals.first {
                ledgerDate = original.orderDate.iso
                problems += try await reversalProblems(record, original: original, on: connection)
            } else {
                problems.append(ImportProblem(line: 0, field: "reversalOf", reason: "order \(reversalOf) of \(unit) is not stored"))
            }
        }
        if !problems.isEmpty { throw ImportError.rejected(problems) }
        let rows = try await connection.query("""
            WITH stored AS (
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                       status, festival, reversal_of, ledger_date)
                VALUES (\(unit), \(record.orderNo), \(record.orderDate.iso)::date, \(record.channel.rawValue),
                        \(record.category.rawValue), \(record.originCode.text), \(record.amount.fen),
                        \(record.status.rawValue), \(record.festival), \(record.reversalOf), \(ledgerDate)::date)
                RETURNING *
            ), audited AS (
                INSERT INTO audit_log (actor, action, entity, entity_key, credit_code, after)
                SELECT \(actor), \(record.reversalOf == nil ? "purchase.create" : "purchase.reverse"), 'purchase',
                       s.id::text, s.credit_code,
                       jsonb_build_object('ids', jsonb_build_array(s.id),
                                          'digests', jsonb_build_array(purchase_digest(ROW(s.*)::purchases)),
                                          'purchase', to_jsonb(s))
                FROM stored s
            )
            SELECT id FROM stored
            """, logger: logger)
        guard let id = try await rows.decode(Int64.self).first(where: { _ in true }),
              let purchase = try await purchase(id: id, on: connection)
        else { throw StoreError.corruptData("a stored purchase could not be read back") }
        return (purchase, true)
    }

    /// Why `record` cannot reverse `original`: it must be a completed order, not itself
    /// a reversal, repeat its channel, category, origin and festival, and take back no
    /// more than what is left of it.
    func reversalProblems(_ record: PurchaseRecord, original: Purchase, on connection: PostgresConnection)
        async throws -> [ImportProblem] {
        if original.reversalOf != nil {
            return [ImportProblem(line: 0, field: "reversalOf", reason: "order \(original.orderNo) is itself a reversal")]
        }
        if original.status != .completed {
            return [ImportProblem(line: 0, field: "reversalOf",
                                  reason: "order \(original.orderNo) is \(original.status.rawValue); only a completed order is reversed")]
        }
        var problems: [ImportProblem] = []
        if (record.channel, record.category, record.originCode.text, record.festival)
            != (original.channel, original.category, original.originCode, original.festival) {
            problems.append(ImportProblem(line: 0, field: "",
                                          reason: "channel, category, originCode and festival must repeat those of order \(original.orderNo)"))
        }
        let left = try await remaining(of: original, on: connection)
        if -record.amount.fen > left.fen {
            problems.append(ImportProblem(line: 0, field: "amount",
                                          reason: "only \(left.yuanString) of order \(original.orderNo) is left to reverse"))
        }
        return problems
    }

    /// What is left of an order once its reversals are taken off.
    func remaining(of original: Purchase, on connection: PostgresConnection) async throws -> Money {
        let rows = try await connection.query("""
            SELECT coalesce(sum(amount), 0)::bigint FROM purchases
            WHERE credit_code = \(original.creditCode) AND reversal_of = \(original.orderNo)
            """, logger: logger)
        var taken: Int64 = 0
        for try await sum in rows.decode(Int64.self) { taken = sum }
        return Money(fen: original.amount.fen + taken)
    }
}
