import PostgresNIO
import SetasideCore

extension Importer {
    /// Imports a purchases file read by `makeReader`: each batch is read (decoded and
    /// checked by the core) while the server takes in the one before, and nothing is
    /// kept unless the whole file passes. `makeReader` is called again when the import
    /// must run again.
    public func importPurchases(reading makeReader: () throws(ImportError) -> ImportFileReader<PurchaseRecord>)
        async throws -> ImportSummary {
        // API writes do not take the import lock, so one of the file's orders can be
        // stored by the API between the checks and the INSERT, which then fails on the
        // order's key. The import is run again from the same rows: the order is stored
        // by then, so it is either the same (unchanged) or named with its line as a
        // conflict. Nothing of a failed attempt stays.
        var attempt = 1
        while true {
            do {
                var reader = try makeReader()
                return try await importPurchasesOnce(&reader)
            } catch let error as PSQLError where ["23505", "40P01"].contains(StoreError.sqlState(error)) && attempt < 3 {
                // 40P01: a deadlock with API writes of the same orders in another order.
                store.logger.info("import purchases: an order of the file was stored meanwhile; checking the file again")
                attempt += 1
            }
        }
    }

    /// A record as it is staged: orders with the id reserved for them and their digest.
    struct StagedPurchase {
        var record: PurchaseRecord
        var id: Int64?
        var digest: String?
    }

    func importPurchasesOnce(_ reader: inout ImportFileReader<PurchaseRecord>) async throws -> ImportSummary {
        var hasReversals = false
        let clock = ContinuousClock()
        var mark = clock.now
        func phase(_ name: String) {
            store.logger.info("import purchases: \(name) in \(clock.now - mark)")
            mark = clock.now
        }
        return try await store.transaction { connection in
            // Every purchase of this transaction is booked at its start (`now()`): the
            // digests of the orders are computed here, with their ids, as batches are read.
            let bookedAt = try await connection.query("SELECT (extract(epoch FROM now()) * 1000000)::bigint", logger: store.logger)
                .collect().first.map { try $0.decode(Int64.self) } ?? 0
            let staged = try await stage(connection, .purchases, table: "staged_purchases",
                                         definition: PurchaseRules.stagedColumns + ", id bigint, digest text",
                                         batches: { () async throws -> [StagedPurchase]? in
                guard !reader.isAtEnd else { return nil }
                let batch = try reader.next(batchSize)
                return try await digested(batch, bookedAt: bookedAt)
            }) { (rows: inout CopyRows, s: StagedPurchase) in
                let r = s.record
                if r.reversalOf != nil { hasReversals = true }
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.orderNo); rows.field(r.orderDate.iso)
                rows.field(r.channel.rawValue); rows.field(r.category.rawValue); rows.field(r.originCode.text)
                rows.field(r.amount.fen); rows.field(r.status.rawValue); rows.field(r.festival)
                rows.field(r.reversalOf); rows.field(s.id.map(String.init)); rows.field(s.digest); rows.endRow()
            }
            // Every row read: the file's own problems refuse it before anything is checked
            // against what is stored.
            let file = try reader.finish()
            phase("read and staged \(staged) rows")
            var found = try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.storedChecks))
            found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.conflicts), conflicts: true)
            if hasReversals {
                // The originals are locked before what is left of them is computed, as an
                // API reversal locks its original.
                try await connection.query(PostgresQuery(unsafeSQL: PurchaseRules.lockOriginals), logger: store.logger)
                found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.reversalChecks(stagedCTE: false)))
            }
            try refuse(found)
            phase("checked")
            // Rows already stored (with the same content: others were refused above) are
            // dropped from the staging table, so the rest go in with plain INSERTs: no
            // per-row conflict handling. Other imports wait for the import lock; an API
            // write of one of these orders meanwhile fails the INSERT, and the import
            // is checked again (see `importPurchases`).
            // Only rows stored with the same content are dropped: one the API stored with
            // other content after the checks stays, fails the INSERT, and is named then.
            let unchanged = try await rowCount(connection, """
                DELETE FROM staged_purchases s USING purchases p
                WHERE p.credit_code = s.credit_code AND p.order_no = s.order_no AND \(PurchaseRules.sameContent("p", "s"))
                """)
            // Orders first, with the ids and digests staged with them, and their audit
            // entries (one per unit) from the staging table; then reversals, whose ledger
            // date is their original's order date, audited as they are stored.
            var inserted = try await rowCount(connection, """
                INSERT INTO purchases (id, \(PurchaseRules.insertColumns))
                SELECT id, credit_code, order_no, order_date, channel, category, origin_code, amount,
                       status, festival, reversal_of, order_date
                FROM staged_purchases WHERE reversal_of IS NULL
                """)
            try await connection.query("""
                INSERT INTO audit_log (actor, action, entity, entity_key, credit_code, after)
                SELECT \(actor), 'import.purchases', 'purchase', count(*) || ' stored', credit_code,
                       jsonb_build_object('ids', jsonb_agg(id ORDER BY id), 'digests', jsonb_agg(digest ORDER BY id))
                FROM staged_purchases WHERE reversal_of IS NULL GROUP BY credit_code
                """, logger: store.logger)
            if hasReversals {
                inserted += try await insertAudited(connection, .purchases, """
                    INSERT INTO purchases (\(PurchaseRules.insertColumns))
                    SELECT s.credit_code, s.order_no, s.order_date, s.channel, s.category, s.origin_code, s.amount,
                           s.status, s.festival, s.reversal_of, \(PurchaseRules.ledgerDate("s", originalDate: "o.order_date"))
                    FROM staged_purchases s
                    JOIN purchases o ON o.credit_code = s.credit_code AND o.order_no = s.reversal_of
                    WHERE s.reversal_of IS NOT NULL
                    """)
            }
            if inserted != staged - unchanged {
                throw StoreError.corruptData("stored \(inserted) of \(staged - unchanged) new purchases")
            }
            phase("stored")
            return ImportSummary(kind: .purchases, rows: staged, inserted: inserted,
                                 warnings: file.warnings, encoding: file.encoding)
        }
    }

    /// `batch` with an id reserved for each order (on another connection: the sequence is
    /// not transactional, and the import's connection is busy with the COPY) and its digest.
    private func digested(_ batch: [PurchaseRecord], bookedAt: Int64) async throws -> [StagedPurchase] {
        let orders = batch.count { $0.reversalOf == nil }
        var ids: [Int64] = []
        ids.reserveCapacity(orders)
        if orders > 0 {
            let rows = try await store.client.query(
                "SELECT nextval('purchases_id_seq') FROM generate_series(1, \(orders))", logger: store.logger)
            for try await id in rows.decode(Int64.self) { ids.append(id) }
        }
        guard ids.count == orders else { throw StoreError.corruptData("reserved \(ids.count) of \(orders) purchase ids") }
        var next = ids.makeIterator()
        return batch.map { record in
            guard record.reversalOf == nil, let id = next.next() else { return StagedPurchase(record: record) }
            return StagedPurchase(record: record, id: id, digest: PurchaseDigest.hex(
                id: id, record, ledgerDate: record.orderDate, bookedAtMicroseconds: bookedAt))
        }
    }
}
