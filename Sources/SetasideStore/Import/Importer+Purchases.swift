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

    func importPurchasesOnce(_ reader: inout ImportFileReader<PurchaseRecord>) async throws -> ImportSummary {
        var hasReversals = false
        let clock = ContinuousClock()
        var mark = clock.now
        func phase(_ name: String) {
            store.logger.info("import purchases: \(name) in \(clock.now - mark)")
            mark = clock.now
        }
        return try await store.transaction { connection in
            let staged = try await stage(connection, .purchases, table: "staged_purchases",
                                         definition: PurchaseRules.stagedColumns,
                                         batches: { reader.isAtEnd ? nil : try reader.next(batchSize) }) { rows, r in
                if r.reversalOf != nil { hasReversals = true }
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.orderNo); rows.field(r.orderDate.iso)
                rows.field(r.channel.rawValue); rows.field(r.category.rawValue); rows.field(r.originCode.text)
                rows.field(r.amount.fen); rows.field(r.status.rawValue); rows.field(r.festival)
                rows.field(r.reversalOf); rows.endRow()
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
                // Read to the end: an error (a deadlock) is in its rows, not in the call.
                _ = try await connection.query(PostgresQuery(unsafeSQL: PurchaseRules.lockOriginals), logger: store.logger).collect()
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
            // Orders first, then reversals, whose ledger date is their original's order date.
            var inserted = try await insertAudited(connection, .purchases, """
                INSERT INTO purchases (\(PurchaseRules.insertColumns))
                SELECT credit_code, order_no, order_date, channel, category, origin_code, amount,
                       status, festival, reversal_of, order_date, $1
                FROM staged_purchases WHERE reversal_of IS NULL
                """)
            if hasReversals {
                inserted += try await insertAudited(connection, .purchases, """
                    INSERT INTO purchases (\(PurchaseRules.insertColumns))
                    SELECT s.credit_code, s.order_no, s.order_date, s.channel, s.category, s.origin_code, s.amount,
                           s.status, s.festival, s.reversal_of, \(PurchaseRules.ledgerDate("s", originalDate: "o.order_date")), $1
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
}
