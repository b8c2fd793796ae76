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
        let clock = ContinuousClock()
        var mark = clock.now
        func phase(_ name: String) {
            store.logger.info("import purchases: \(name) in \(clock.now - mark)")
            mark = clock.now
        }
        let source = BatchSource(reader, size: batchSize)
        return try await store.transaction { connection in
            try await lock(connection, .purchases)
            try await connection.query(PostgresQuery(unsafeSQL: """
                CREATE TEMPORARY TABLE staged_purchases (\(PurchaseRules.stagedColumns)) ON COMMIT DROP
                """), logger: store.logger)
            try await connection.query(
                "CREATE TEMPORARY TABLE kept_rows (LIKE staged_purchases) ON COMMIT DROP", logger: store.logger)
            var found: [ImportProblem] = []
            var staged = 0, unchanged = 0, inserted = 0
            // A batch at a time: the next one is read while the server checks and stores
            // this one (a pipeline over both cores). Once a problem is found nothing more
            // is stored, but every batch is still read and checked, so that every problem
            // is named; then the transaction is rolled back.
            var next = source.read()
            while let batch = try await next.value {
                next = source.read()
                try await connection.query("TRUNCATE staged_purchases", logger: store.logger)
                try await copy(connection, batch)
                staged += batch.count
                found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.storedChecks))
                found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.conflicts), conflicts: true)
                guard found.isEmpty else {
                    // Nothing more is stored; the rows are kept for the reversals' checks.
                    try await connection.query("INSERT INTO kept_rows SELECT * FROM staged_purchases", logger: store.logger)
                    continue
                }
                // Rows stored already (with the same content: others were refused above)
                // are dropped, so the rest go in with plain INSERTs: no per-row conflict
                // handling. An API write of one of these orders meanwhile fails the
                // INSERT, and the import runs again (see `importPurchases`); one the API
                // stored with other content after the checks stays, fails the INSERT, and
                // is named then.
                unchanged += try await rowCount(connection, """
                    DELETE FROM staged_purchases s USING purchases p
                    WHERE p.credit_code = s.credit_code AND p.order_no = s.order_no AND \(PurchaseRules.sameContent("p", "s"))
                    """)
                // Reversals wait for every order of the file, which they may take back.
                try await connection.query(
                    "INSERT INTO kept_rows SELECT * FROM staged_purchases WHERE reversal_of IS NOT NULL",
                    logger: store.logger)
                inserted += try await insertAudited(connection, .purchases, """
                    INSERT INTO purchases (\(PurchaseRules.insertColumns))
                    SELECT credit_code, order_no, order_date, channel, category, origin_code, amount,
                           status, festival, reversal_of, order_date
                    FROM staged_purchases WHERE reversal_of IS NULL
                    """)
            }
            // The file's own problems first, then those against what is stored.
            let file = try source.reader.finish()
            phase("read, checked and stored the orders of \(staged) rows")
            // The reversals (and, once a problem was found, every row not stored) are
            // checked now that every order of the file is in the ledger or kept.
            try await connection.query("TRUNCATE staged_purchases", logger: store.logger)
            _ = try await rowCount(connection, "INSERT INTO staged_purchases SELECT * FROM kept_rows")
            try await connection.query("ANALYZE staged_purchases", logger: store.logger)
            let kept = try await connection.query(
                "SELECT count(*)::bigint FROM staged_purchases WHERE reversal_of IS NOT NULL", logger: store.logger)
                .collect().first.map { try $0.decode(Int.self) } ?? 0
            if kept > 0 {
                // The originals are locked before what is left of them is computed, as an
                // API reversal locks its original.
                try await connection.query(PostgresQuery(unsafeSQL: PurchaseRules.lockOriginals), logger: store.logger)
                found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.reversalChecks(stagedCTE: false)))
            }
            try refuse(found)
            if kept > 0 {
                inserted += try await insertAudited(connection, .purchases, """
                    INSERT INTO purchases (\(PurchaseRules.insertColumns))
                    SELECT s.credit_code, s.order_no, s.order_date, s.channel, s.category, s.origin_code, s.amount,
                           s.status, s.festival, s.reversal_of, \(PurchaseRules.ledgerDate("s", originalDate: "o.order_date"))
                    FROM staged_purchases s
                    JOIN purchases o ON o.credit_code = s.credit_code AND o.order_no = s.reversal_of
                    """)
                phase("checked and stored \(kept) reversals")
            }
            if inserted != staged - unchanged {
                throw StoreError.corruptData("stored \(inserted) of \(staged - unchanged) new purchases")
            }
            return ImportSummary(kind: .purchases, rows: staged, inserted: inserted,
                                 warnings: file.warnings, encoding: file.encoding)
        }
    }

    /// COPYs `records` into `staged_purchases` and analyzes it (the checks join it with
    /// the ledger: the planner must know its size).
    private func copy(_ connection: PostgresConnection, _ records: [PurchaseRecord]) async throws {
        try await connection.copyFrom(table: "staged_purchases", logger: store.logger) { writer in
            var rows = CopyRows()
            for r in records {
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.orderNo); rows.field(r.orderDate.iso)
                rows.field(r.channel.rawValue); rows.field(r.category.rawValue); rows.field(r.originCode.text)
                rows.field(r.amount.fen); rows.field(r.status.rawValue); rows.field(r.festival)
                rows.field(r.reversalOf); rows.endRow()
                if rows.byteCount >= 1 << 20 { try await writer.write(rows.take()) }
            }
            if rows.byteCount > 0 { try await writer.write(rows.take()) }
        }
        try await connection.query("ANALYZE staged_purchases", logger: store.logger)
    }
}

/// The batches of a purchases file, each read on a task of its own, so that the next
/// is read while the import stores the last. One task reads at a time: the reader passes
/// from one to the next and is never touched by two at once (hence unchecked).
final class BatchSource: @unchecked Sendable {
    private(set) var reader: ImportFileReader<PurchaseRecord>
    private let size: Int
    private var last: Task<[PurchaseRecord]?, any Error>?

    init(_ reader: ImportFileReader<PurchaseRecord>, size: Int) {
        self.reader = reader
        self.size = size
    }

    /// Starts reading the next batch (after the one being read, if any): nil at the end.
    func read() -> Task<[PurchaseRecord]?, any Error> {
        let before = last
        let task = Task { [self] () throws -> [PurchaseRecord]? in
            _ = try await before?.value
            if reader.isAtEnd { return nil }
            return try reader.next(size)
        }
        last = task
        return task
    }
}
