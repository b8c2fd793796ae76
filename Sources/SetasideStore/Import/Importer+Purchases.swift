import PostgresNIO
import SetasideCore

extension Importer {
    /// Imports a purchases file read by `makeReader`: each batch is read (decoded and
    /// checked by the core) while the server takes in the one before, and nothing is
    /// kept unless the whole file passes. `makeReader` is called again when the file
    /// must be read again.
    ///
    /// A dry run keeps nothing and refuses nothing whole: it says what the rows would do
    /// and which rows would be refused, and why. The file is run again without the rows
    /// refused (their problems found, a pass at a time: the file's own, then those
    /// against what is stored), so that the counts are those of the others.
    public func importPurchases<Source: PurchaseSource>(reading makeReader: () throws(ImportError) -> Source,
                                                        dryRun: Bool = false) async throws -> ImportSummary {
        guard dryRun else { return try await importPurchasesRetrying(makeReader, dryRun: false) }
        var refused: [InputProblem] = []
        while true {
            let skipped = Set(refused.map(\.line))
            do {
                var summary = try await importPurchasesRetrying({ () throws(ImportError) in
                    PurchaseSourceSkipping(try makeReader(), skipping: skipped)
                }, dryRun: true)
                summary.refused = refused.sorted()
                return summary
            } catch ImportError.rejected(let problems) {
                let found = problems.filter { !skipped.contains($0.line) }
                // Nothing new (a problem of the header, found again however many rows are left
                // out), or a problem of no row: the file is refused whole, each problem once.
                if found.isEmpty || found.contains(where: { $0.line <= 0 }) {
                    throw ImportError.rejected(Array(Set(refused + problems)).sorted())
                }
                refused += found
            }
        }
    }

    /// Imports the file, or runs it dry, reading it again when an order of it was stored
    /// by another writer meanwhile.
    private func importPurchasesRetrying<Source: PurchaseSource>(_ makeReader: () throws(ImportError) -> Source,
                                                                 dryRun: Bool) async throws -> ImportSummary {
        // API writes do not take the import lock, so one of the file's orders can be
        // stored by the API between the checks and the INSERT, which then fails on the
        // order's key. The import is run again from the same rows: the order is stored
        // by then, so it is either the same (unchanged) or named with its line as a
        // conflict. Nothing of a failed attempt stays.
        var attempt = 1
        while true {
            do {
                return try await importPurchasesOnce(makeReader, dryRun: dryRun)
            } catch let rolledBack as DryRunRollback {
                // Everything was checked and written, then undone: the counts stand.
                var summary = rolledBack.summary
                summary.dryRun = true
                return summary
            } catch let error as PSQLError where ["23505", "40P01"].contains(StoreError.sqlState(error)) && attempt < 3 {
                // 40P01: a deadlock with API writes of the same orders in another order.
                store.logger.info("import purchases: an order of the file was stored meanwhile; checking the file again")
                attempt += 1
            }
        }
    }

    /// One attempt, in one transaction under the import lock. The file's orders are
    /// first COPYed straight into the ledger, whose keys and references refuse an order
    /// already stored or naming a unit or region that is not (`copyOrders`); only its
    /// reversals are staged and checked. If the ledger refused a row, that is undone and
    /// the whole file is read again, staged and checked set-wise, so that every problem
    /// is named by line and orders stored with the same content are left as they are.
    func importPurchasesOnce<Source: PurchaseSource>(_ makeReader: () throws(ImportError) -> Source, dryRun: Bool = false)
        async throws -> ImportSummary {
        let clock = ContinuousClock()
        var mark = clock.now
        func phase(_ name: String) {
            store.logger.info("import purchases: \(name) in \(clock.now - mark)")
            mark = clock.now
        }
        return try await store.transaction { connection in
            let summary = try await importPurchasesInTransaction(connection, makeReader, phase: phase)
            // A dry run is the same work undone: the transaction rolls back on the way out.
            if dryRun { throw DryRunRollback(summary: summary) }
            return summary
        }
    }

    /// The work of one attempt, on `connection` in its transaction.
    private func importPurchasesInTransaction<Source: PurchaseSource>(
        _ connection: PostgresConnection, _ makeReader: () throws(ImportError) -> Source, phase: (String) -> Void
    ) async throws -> ImportSummary {
        do {
            try await lock(connection, .purchases)
            var reader = try makeReader()
            progress(ImportProgress(stage: .reading, position: reader.position))
            if let copied = try await copyOrders(connection, &reader) {
                phase("read \(copied.orders + copied.reversals.count) rows and stored \(copied.orders) orders")
                var inserted = copied.orders
                if !copied.reversals.isEmpty {
                    let read = ImportProgress(stage: .checking, rowsRead: reader.rowsRead,
                                              rowsChecked: copied.orders + copied.reversals.count,
                                              rowsStored: copied.orders, position: reader.position)
                    progress(read)
                    let staged = try await stage(connection, .purchases, table: "staged_purchases",
                                                 definition: PurchaseRules.stagedColumns, records: copied.reversals,
                                                 write: Self.stagedRow)
                    // A few reversals against a ledger that has just grown by the file's
                    // orders: with the staged rows' numbers (an index on their key, and
                    // ANALYZE), the planner hashes the few reversals and reads the ledger
                    // once for each check; without them it hashed the whole ledger, or
                    // walked it looking each row up in the reversals (5.5 s a million
                    // rows, against 1.5 s this way).
                    try await connection.query("CREATE INDEX ON staged_purchases (credit_code, order_no)", logger: store.logger)
                    try await connection.query("ANALYZE staged_purchases", logger: store.logger)
                    let merged = try await checkAndMerge(connection, staged: staged, hasReversals: true, hasOrders: false,
                                                         read: read)
                    inserted += merged.inserted
                    phase("checked and stored \(merged.inserted) reversals")
                }
                return ImportSummary(kind: .purchases, rows: copied.orders + copied.reversals.count, inserted: inserted,
                                     warnings: copied.file.warnings, encoding: copied.file.encoding,
                                     staged: copied.reversals.count)
            }
            phase("the ledger refused a row; staging the file to name it")
            reader = try makeReader()
            var hasReversals = false
            var checked = 0
            let staged = try await stage(connection, .purchases, table: "staged_purchases",
                                         definition: PurchaseRules.stagedColumns,
                                         batches: { () throws -> [PurchaseRecord]? in
                                             if reader.isAtEnd { return nil }
                                             let batch = try reader.next(batchSize)
                                             checked += batch.count
                                             progress(ImportProgress(stage: .reading, rowsRead: reader.rowsRead, rowsChecked: checked,
                                                                     position: reader.position))
                                             return batch
                                         }) { (rows: inout CopyRows, r: PurchaseRecord) in
                if r.reversalOf != nil { hasReversals = true }
                Self.stagedRow(&rows, r)
            }
            // Every row read: the file's own problems refuse it before anything is checked
            // against what is stored.
            let file = try reader.finish()
            phase("read and staged \(staged) rows")
            let read = ImportProgress(stage: .checking, rowsRead: reader.rowsRead, rowsChecked: staged, position: reader.position)
            progress(read)
            let merged = try await checkAndMerge(connection, staged: staged, hasReversals: hasReversals, read: read)
            phase("checked and stored")
            var summary = ImportSummary(kind: .purchases, rows: staged, inserted: merged.inserted,
                                        warnings: file.warnings, encoding: file.encoding)
            summary.statusChanges = merged.statusChanges
            return summary
        }
    }

    /// Thrown out of a dry run's transaction so that it rolls back, carrying what the
    /// import would have stored.
    struct DryRunRollback: Error {
        var summary: ImportSummary
    }

    /// The orders of a file, and the reversals set aside for staging, as `copyOrders`
    /// leaves them.
    struct CopiedOrders {
        var orders: Int
        var reversals: [PurchaseRecord]
        var file: ParsedImport<PurchaseRecord>
    }

    /// COPYs the file's orders (rows that reverse nothing) into the ledger as they are
    /// read, and sets its reversals aside: the ledger's own key and references check the
    /// orders, and its trigger writes their trail (one entry a unit, named by the
    /// import). Once a row has a problem the rest is read for its problems only, and
    /// they refuse the file. Returns nil, with nothing of the COPY left, when the ledger
    /// refused a row (an integrity error: an order already stored, a unit or region that
    /// is not); the caller then stages the file to say which row and why.
    func copyOrders<Source: PurchaseSource>(_ connection: PostgresConnection, _ reader: inout Source)
        async throws -> CopiedOrders? {
        try await connection.query("SAVEPOINT copy_orders", logger: store.logger)
        try await connection.query("SELECT set_config('setaside.action', 'import.purchases', true)", logger: store.logger)
        var orders = 0
        var reversals: [PurchaseRecord] = []
        var file: ParsedImport<PurchaseRecord>?
        let actor = self.actor
        let batchSize = self.batchSize
        let progress = self.progress
        var checked = 0
        do {
            try await connection.copyFrom(table: "purchases", columns: PurchaseRules.insertColumnNames,
                                          logger: store.logger) { writer in
                var rows = CopyRows()
                while !reader.isAtEnd {
                    let batch = try reader.next(batchSize)
                    checked += batch.count
                    defer {
                        progress(ImportProgress(stage: .reading, rowsRead: reader.rowsRead, rowsChecked: checked,
                                                rowsStored: orders, position: reader.position))
                    }
                    guard !reader.hasProblems else { continue }
                    for r in batch {
                        if r.reversalOf != nil { reversals.append(r); continue }
                        Self.ledgerRow(&rows, r, bookedBy: actor)
                        orders += 1
                        if rows.byteCount >= 1 << 20 { try await writer.write(rows.take()) }
                    }
                }
                // The file's own problems end the COPY (nothing of it is kept) and refuse it.
                file = try reader.finish()
                if rows.byteCount > 0 { try await writer.write(rows.take()) }
            }
        } catch let error as PSQLError where StoreError.sqlState(error)?.hasPrefix("23") == true {
            try await connection.query("ROLLBACK TO SAVEPOINT copy_orders", logger: store.logger)
            return nil
        }
        try await connection.query("RELEASE SAVEPOINT copy_orders", logger: store.logger)
        try await connection.query("SELECT set_config('setaside.action', '', true)", logger: store.logger)
        guard let file else { throw StoreError.corruptData("the purchases file was not read to its end") }
        return CopiedOrders(orders: orders, reversals: reversals, file: file)
    }

    /// Checks the rows of `staged_purchases` against what is stored (refusing the file
    /// with every problem by line), drops those already stored with the same content,
    /// and stores the rest: orders first, then reversals, whose ledger date is their
    /// original's order date.
    /// `read` is the import's progress when the checks begin; the stage of storing is
    /// reported from it.
    func checkAndMerge(_ connection: PostgresConnection, staged: Int, hasReversals: Bool, hasOrders: Bool = true,
                       read: ImportProgress) async throws -> (inserted: Int, unchanged: Int, statusChanges: Int) {
        var found = try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.storedChecks))
        found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.conflicts), conflicts: true)
        if hasOrders {
            // Orders whose status the file changes are locked before their status is read.
            try await AdvisoryLocks.lockOrders(selectedBy: PurchaseRules.changedOrderKeys, on: connection, logger: store.logger)
            found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.statusConflicts), conflicts: true)
        }
        if hasReversals {
            // The originals are locked before what is left of them is computed, as an
            // API reversal locks its original.
            // Read to the end: an error (a deadlock) is in its rows, not in the call.
            try await AdvisoryLocks.lockOrders(selectedBy: PurchaseRules.reversedOrderKeys, on: connection, logger: store.logger)
            found += try await problems(connection, PostgresQuery(unsafeSQL: PurchaseRules.reversalChecks(stagedCTE: false)))
        }
        try refuse(found)
        var storing = read
        storing.stage = .storing
        progress(storing)
        // Rows already stored (with the same content: others were refused above) are
        // dropped from the staging table, so the rest go in with plain INSERTs: no
        // per-row conflict handling. Other imports wait for the import lock; an API
        // write of one of these orders meanwhile fails the INSERT, and the import
        // is checked again (see `importPurchases`).
        // Only rows stored with the same content are dropped: one the API stored with
        // other content after the checks stays, fails the INSERT, and is named then.
        // A row reporting an order in a status it never had books the change (the
        // conflicts above refused those not allowed), dated the import's day in China.
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(actor)
        var statusChanges = 0
        if hasOrders {
            let changes = try await connection.query(PostgresQuery(unsafeSQL: """
                WITH changed AS (
                    DELETE FROM staged_purchases s USING purchases p
                    WHERE p.credit_code = s.credit_code AND p.order_no = s.order_no
                      AND \(PurchaseRules.sameOrder("p", "s")) AND NOT \(PurchaseRules.hadStatus("p", "s.status"))
                    RETURNING s.credit_code, s.order_no, \(PurchaseRules.currentStatus("p")) AS from_status, s.status AS to_status
                ), booked AS (
                    INSERT INTO purchase_status_changes (credit_code, order_no, from_status, to_status, changed_on, booked_by)
                    SELECT credit_code, order_no, from_status, to_status, \(Store.todayInChina), $1 FROM changed
                    RETURNING 1
                )
                SELECT count(*)::bigint FROM booked
                """, binds: bindings), logger: store.logger)
            for try await count in changes.decode(Int.self) { statusChanges = count }
        }
        let unchanged = try await rowCount(connection, """
            DELETE FROM staged_purchases s USING purchases p
            WHERE p.credit_code = s.credit_code AND p.order_no = s.order_no AND \(PurchaseRules.repeats("p", "s"))
            """) + statusChanges
        var inserted = try await insertAudited(connection, .purchases, """
            INSERT INTO purchases (\(PurchaseRules.insertColumns))
            SELECT credit_code, order_no, order_date, channel, category, origin_code, amount,
                   status, festival, reversal_of, order_date, $1, supplier_name, supplier_credit_code, product
            FROM staged_purchases WHERE reversal_of IS NULL
            """)
        if hasReversals {
            inserted += try await insertAudited(connection, .purchases, """
                INSERT INTO purchases (\(PurchaseRules.insertColumns))
                SELECT s.credit_code, s.order_no, s.order_date, s.channel, s.category, s.origin_code, s.amount,
                       s.status, s.festival, s.reversal_of, \(PurchaseRules.ledgerDate("s", originalDate: "o.order_date")), $1,
                       s.supplier_name, s.supplier_credit_code, s.product
                FROM staged_purchases s
                JOIN purchases o ON o.credit_code = s.credit_code AND o.order_no = s.reversal_of
                WHERE s.reversal_of IS NOT NULL
                """)
        }
        if inserted != staged - unchanged {
            throw StoreError.corruptData("stored \(inserted) of \(staged - unchanged) new purchases")
        }
        return (inserted, unchanged, statusChanges)
    }

    /// A record as a row of `staged_purchases` (`PurchaseRules.stagedColumns`).
    static func stagedRow(_ rows: inout CopyRows, _ r: PurchaseRecord) {
        rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.orderNo); rows.field(r.orderDate.iso)
        rows.field(r.channel.rawValue); rows.field(r.category.rawValue); rows.field(r.originCode.text)
        rows.field(r.amount.fen); rows.field(r.status.rawValue); rows.field(r.festival)
        rows.field(r.reversalOf); rows.field(r.supplierName); rows.field(r.supplierCreditCode?.text); rows.field(r.product)
        rows.endRow()
    }

    /// An order (it reverses nothing, so it counts on its order date) as a row of the
    /// ledger (`PurchaseRules.insertColumnNames`).
    static func ledgerRow(_ rows: inout CopyRows, _ r: PurchaseRecord, bookedBy actor: String) {
        rows.field(r.creditCode.text); rows.field(r.orderNo); rows.field(r.orderDate.iso)
        rows.field(r.channel.rawValue); rows.field(r.category.rawValue); rows.field(r.originCode.text)
        rows.field(r.amount.fen); rows.field(r.status.rawValue); rows.field(r.festival)
        rows.field(nil); rows.field(r.orderDate.iso); rows.field(actor)
        rows.field(r.supplierName); rows.field(r.supplierCreditCode?.text); rows.field(r.product); rows.endRow()
    }
}
