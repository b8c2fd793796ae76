import PostgresNIO
import SetasideCore

extension Store {
    /// Holds the idempotency key `key` of the account until `transaction` ends: a second
    /// copy of one request waits for the first.
    public func lockIdempotencyKey(accountID: Int64, key: String, in transaction: Transaction) async throws {
        try await transaction.connection.query(
            "SELECT pg_advisory_xact_lock(4227102, hashtext(\(String(accountID)) || ':' || \(key)))", logger: logger)
    }

    /// The answer kept under the key, and whether it was kept for the same `request`; nil
    /// when the key is new.
    public func keptAnswer(accountID: Int64, key: String, request: String, in transaction: Transaction)
        async throws -> (sameRequest: Bool, status: Int, body: String)? {
        let rows = try await transaction.connection.query("""
            SELECT request_hash = encode(digest(\(request), 'sha256'), 'hex'), status::int, response
            FROM idempotency_keys WHERE account_id = \(accountID) AND key = \(key)
            """, logger: logger)
        for try await (same, status, body) in rows.decode((Bool, Int, String).self) {
            return (same, status, body)
        }
        return nil
    }

    /// Keeps the answer to `request` under the key, in the transaction that made it.
    public func keepAnswer(accountID: Int64, key: String, request: String, status: Int, body: String,
                           in transaction: Transaction) async throws {
        try await transaction.connection.query("""
            INSERT INTO idempotency_keys (account_id, key, request_hash, status, response)
            VALUES (\(accountID), \(key), encode(digest(\(request), 'sha256'), 'hex'), \(status), \(body))
            """, logger: logger)
    }

    /// `createPurchase` inside the caller's transaction.
    public func createPurchase(_ record: PurchaseRecord, actor: String, in transaction: Transaction)
        async throws -> (purchase: Purchase, created: Bool) {
        try await createPurchase(record, actor: actor, on: transaction.connection)
    }

    /// Stores one purchase (an order, or a reversal when `reversalOf` is set) with its
    /// audit entry. The same order number with the same content returns the stored
    /// purchase (`created` false); with other content it is a conflict.
    public func createPurchase(_ record: PurchaseRecord, actor: String) async throws -> (purchase: Purchase, created: Bool) {
        try await transaction { connection in try await createPurchase(record, actor: actor, on: connection) }
    }

    /// `createPurchase` inside the caller's transaction.
    ///
    /// An order goes in with one statement (`ON CONFLICT DO NOTHING`, the audit entry in
    /// the same statement); only when the order number is taken is the stored row read to
    /// tell a repeat from a conflict. A reversal first takes the unit's lock and locks its
    /// original's row (as an import with reversals does), so that the amount left to
    /// reverse cannot change between the check and the insert.
    func createPurchase(_ record: PurchaseRecord, actor: String, on connection: PostgresConnection)
        async throws -> (purchase: Purchase, created: Bool) {
        let unit = record.creditCode.text
        var ledgerDate = record.orderDate.iso
        if let reversalOf = record.reversalOf {
            let milliseconds = reversalLockTimeout.components.seconds * 1_000
                + reversalLockTimeout.components.attoseconds / 1_000_000_000_000_000
            try await connection.query("SELECT set_config('lock_timeout', \(String(milliseconds)), true)", logger: logger)
            let originals: [Purchase]
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(4227101, hashtext(\(unit)))", logger: logger)
                originals = try await Self.decodePurchases(try await connection.query("""
                    SELECT \(unescaped: Self.purchaseColumns) FROM purchases p
                    WHERE p.credit_code = \(unit) AND p.order_no = \(reversalOf)
                    FOR NO KEY UPDATE
                    """, logger: logger))
            } catch let error as PSQLError where StoreError.sqlState(error) == "55P03" {
                // An import reversing the same order holds it until it commits.
                throw StoreError.busy("order \(reversalOf) of \(unit) is being changed by another write (an import); try again in a moment")
            }
            try await connection.query("SET LOCAL lock_timeout TO DEFAULT", logger: logger)
            guard let original = originals.first else {
                throw ImportError.rejected([ImportProblem(line: 0, field: "reversalOf", reason: "order \(reversalOf) of \(unit) is not stored")])
            }
            ledgerDate = original.orderDate.iso
            if let existing = try await existing(record, on: connection) { return (existing, false) }
            let problems = try await reversalProblems(record, original: original, on: connection)
            if !problems.isEmpty { throw ImportError.rejected(problems) }
        }
        let inserted: Purchase?
        do {
            let rows = try await connection.query("""
                WITH stored AS (
                    INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                           status, festival, reversal_of, ledger_date)
                    VALUES (\(unit), \(record.orderNo), \(record.orderDate.iso)::date, \(record.channel.rawValue),
                            \(record.category.rawValue), \(record.originCode.text), \(record.amount.fen),
                            \(record.status.rawValue), \(record.festival), \(record.reversalOf), \(ledgerDate)::date)
                    ON CONFLICT (credit_code, order_no) DO NOTHING
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
                SELECT \(unescaped: Self.purchaseColumns) FROM stored p
                """, logger: logger)
            inserted = try await Self.decodePurchases(rows).first
        } catch let error as PSQLError where StoreError.sqlState(error) == "23503" {
            // A foreign key: the unit was checked by the caller, so it is the origin.
            throw ImportError.rejected([ImportProblem(line: 0, field: "originCode",
                                                      reason: "region \(record.originCode.text) is not stored")])
        }
        if let purchase = inserted { return (purchase, true) }
        // The order number is taken: the same content is a repeat, other content a conflict.
        guard let stored = try await existing(record, on: connection) else {
            throw StoreError.corruptData("order \(record.orderNo) of \(unit) neither stored nor found")
        }
        return (stored, false)
    }

    /// The stored purchase with `record`'s order number, if it has the same content;
    /// nil when there is none; a conflict when its content differs.
    func existing(_ record: PurchaseRecord, on connection: PostgresConnection) async throws -> Purchase? {
        let unit = record.creditCode.text
        let found = try await Self.decodePurchases(try await connection.query("""
            SELECT \(unescaped: Self.purchaseColumns) FROM purchases p
            WHERE p.credit_code = \(unit) AND p.order_no = \(record.orderNo)
            """, logger: logger))
        guard let stored = found.first else { return nil }
        return try Self.sameOrder(stored, as: record)
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
