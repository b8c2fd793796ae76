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

    /// `createPurchase` inside the caller's transaction, by the statements every purchase
    /// write shares (`PurchaseRules`, `InsertPurchases`).
    ///
    /// An order goes in with one statement; only when its number is taken is the stored
    /// row compared, to tell a repeat from a conflict. A reversal first takes the unit's
    /// lock and locks its original's row (as an import with reversals does), then runs the
    /// reversal checks of a file on its one row, so that what is left to reverse cannot
    /// change between the check and the insert.
    func createPurchase(_ record: PurchaseRecord, actor: String, on connection: PostgresConnection)
        async throws -> (purchase: Purchase, created: Bool) {
        if record.reversalOf != nil {
            try await lockOriginal(of: record, on: connection)
            if let stored = try await answerTaken([record], on: connection)[0] { return try stored.get() }
            let problems = try await Importer(store: self, actor: actor).problems(
                connection, PostgresQuery(unsafeSQL: PurchaseRules.reversalChecks(stagedCTE: true),
                                          binds: Self.stagedBindings([record])))
            if !problems.isEmpty { throw ImportError.rejected(problems) }
        }
        do {
            return try await insertPurchases([PurchaseWrite(record: record, actor: actor)], on: connection)[0].get()
        } catch let error as PSQLError where StoreError.sqlState(error) == "23503"
                    && error.serverInfo?[.detail]?.contains("(origin_code)") == true {
            // The unit was checked by the caller; the origin is the file's check, by the key.
            throw ImportError.rejected([InputProblem(line: record.line, field: "origin_code",
                                                      reason: Importer.notStored("region", record.originCode.text, first: "regions"))])
        }
    }

    /// Takes the unit's lock and locks the original of the reversal `record`, waiting at
    /// most `reversalLockTimeout` (an import reversing the same order holds it until it
    /// commits) before giving up with `StoreError.busy`.
    private func lockOriginal(of record: PurchaseRecord, on connection: PostgresConnection) async throws {
        let unit = record.creditCode.text
        let milliseconds = reversalLockTimeout.components.seconds * 1_000
            + reversalLockTimeout.components.attoseconds / 1_000_000_000_000_000
        try await connection.query("SELECT set_config('lock_timeout', \(String(milliseconds)), true)", logger: logger)
        do {
            // Each read to the end: a lock that times out fails the rows, not the call.
            var unitBinds = PostgresBindings(capacity: 1)
            unitBinds.append(unit)
            _ = try await connection.query(PostgresQuery(
                unsafeSQL: "SELECT \(AdvisoryLocks.allUnits(.shared)), \(AdvisoryLocks.unit("$1::text"))", binds: unitBinds),
                logger: logger).collect()
            let order = record.reversalOf ?? ""
            _ = try await connection.query(PostgresQuery(
                unsafeSQL: "SELECT \(AdvisoryLocks.allOrders(.shared)), \(AdvisoryLocks.order("$1::text", "$2::text"))", binds: {
                    var binds = PostgresBindings(capacity: 2)
                    binds.append(unit)
                    binds.append(order)
                    return binds
                }()), logger: logger).collect()
        } catch let error as PSQLError where StoreError.sqlState(error) == "55P03" {
            throw StoreError.busy("order \(record.reversalOf ?? "") of \(unit) is being changed by another write (an import); try again in a moment")
        }
        try await connection.query("SET LOCAL lock_timeout TO DEFAULT", logger: logger)
    }
}
