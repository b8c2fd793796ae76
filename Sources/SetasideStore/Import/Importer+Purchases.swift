import PostgresNIO
import SetasideCore

extension Importer {
    public func importPurchases(_ parsed: ParsedImport<PurchaseRecord>) async throws -> ImportSummary {
        // API writes do not take the import lock, so one of the file's orders can be
        // stored by the API between the checks and the INSERT, which then fails on the
        // order's key. The import is run again from the same rows: the order is stored
        // by then, so it is either the same (unchanged) or named with its line as a
        // conflict. Nothing of a failed attempt stays.
        var attempt = 1
        while true {
            do {
                return try await importPurchasesOnce(parsed)
            } catch let error as PSQLError where ["23505", "40P01"].contains(StoreError.sqlState(error)) && attempt < 3 {
                // 40P01: a deadlock with API writes of the same orders in another order.
                store.logger.info("import purchases: an order of the file was stored meanwhile; checking the file again")
                attempt += 1
            }
        }
    }

    func importPurchasesOnce(_ parsed: ParsedImport<PurchaseRecord>) async throws -> ImportSummary {
        let hasReversals = parsed.records.contains { $0.reversalOf != nil }
        let clock = ContinuousClock()
        var mark = clock.now
        func phase(_ name: String) {
            store.logger.info("import purchases: \(name) in \(clock.now - mark)")
            mark = clock.now
        }
        return try await store.transaction { connection in
            try await stage(connection, .purchases, table: "staged_purchases", definition: """
                line int, credit_code text, order_no text, order_date date, channel text, category text,
                origin_code text, amount bigint, status text, festival text, reversal_of text
                """, records: parsed.records) { rows, r in
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.orderNo); rows.field(r.orderDate.iso)
                rows.field(r.channel.rawValue); rows.field(r.category.rawValue); rows.field(r.originCode.text)
                rows.field(r.amount.fen); rows.field(r.status.rawValue); rows.field(r.festival)
                rows.field(r.reversalOf); rows.endRow()
            }
            phase("staged \(parsed.records.count) rows")
            var found = try await problems(connection, PostgresQuery(unsafeSQL: """
                \(Self.unknownUnits("staged_purchases"))
                UNION ALL
                SELECT s.line, 'origin_code', 'region ' || s.origin_code || ' is not stored; import it with the regions first'
                FROM staged_purchases s WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = s.origin_code)
                UNION ALL
                SELECT s.line, 'order_no', 'order ' || s.order_no || ' of ' || s.credit_code
                       || ' is stored with different content (' || p.order_date || ', ' || p.channel || ', '
                       || p.category || ', ' || p.origin_code || ', ' || yuan_text(p.amount) || ', ' || p.status
                       || coalesce(', ' || p.festival, '') || coalesce(', reversal of ' || p.reversal_of, '') || ')'
                FROM staged_purchases s
                JOIN purchases p ON p.credit_code = s.credit_code AND p.order_no = s.order_no
                WHERE (p.order_date, p.channel, p.category, p.origin_code, p.amount, p.status, p.festival, p.reversal_of)
                      IS DISTINCT FROM
                      (s.order_date, s.channel, s.category, s.origin_code, s.amount, s.status, s.festival, s.reversal_of)
                """))
            if hasReversals {
                // The originals are locked before what is left of them is computed, as an
                // API reversal locks its original: no other reversal of them can commit
                // between these checks and the INSERT.
                try await connection.query(Self.lockOriginals, logger: store.logger)
                found += try await problems(connection, Self.reversalChecks)
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
                WHERE p.credit_code = s.credit_code AND p.order_no = s.order_no
                  AND (p.order_date, p.channel, p.category, p.origin_code, p.amount, p.status, p.festival, p.reversal_of)
                      IS NOT DISTINCT FROM
                      (s.order_date, s.channel, s.category, s.origin_code, s.amount, s.status, s.festival, s.reversal_of)
                """)
            // Orders first, then reversals, whose ledger date is their original's order date.
            var inserted = try await insertAudited(connection, .purchases, """
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                       status, festival, reversal_of, ledger_date)
                SELECT credit_code, order_no, order_date, channel, category, origin_code, amount,
                       status, festival, NULL, order_date
                FROM staged_purchases WHERE reversal_of IS NULL
                """)
            if hasReversals {
                inserted += try await insertAudited(connection, .purchases, """
                    INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                           status, festival, reversal_of, ledger_date)
                    SELECT s.credit_code, s.order_no, s.order_date, s.channel, s.category, s.origin_code, s.amount,
                           s.status, s.festival, s.reversal_of, o.order_date
                    FROM staged_purchases s
                    JOIN purchases o ON o.credit_code = s.credit_code AND o.order_no = s.reversal_of
                    WHERE s.reversal_of IS NOT NULL
                    """)
            }
            if inserted != parsed.records.count - unchanged {
                throw StoreError.corruptData("stored \(inserted) of \(parsed.records.count - unchanged) new purchases")
            }
            phase("stored")
            return ImportSummary(kind: .purchases, rows: parsed.records.count, inserted: inserted,
                                 warnings: parsed.warnings, encoding: parsed.encoding)
        }
    }


    /// Locks the stored orders that the staged reversals take back, in key order.
    static let lockOriginals: PostgresQuery = """
        SELECT count(*) FROM (
            SELECT 1 FROM purchases o
            WHERE (o.credit_code, o.order_no) IN
                  (SELECT credit_code, reversal_of FROM staged_purchases WHERE reversal_of IS NOT NULL)
            ORDER BY o.credit_code, o.order_no
            FOR NO KEY UPDATE OF o
        ) locked
        """

    /// A reversal must point at a completed order of the same unit (stored or in the
    /// file) that is not itself a reversal, repeat its channel, category, origin and
    /// festival, and, with the other reversals of that order, take back no more than
    /// its amount.
    static let reversalChecks: PostgresQuery = """
        WITH reversals AS (
            SELECT * FROM staged_purchases WHERE reversal_of IS NOT NULL
        ), stored_reversals AS (
            SELECT e.credit_code, e.reversal_of, sum(e.amount)::bigint AS taken
            FROM purchases e
            WHERE e.reversal_of IS NOT NULL
              AND (e.credit_code, e.reversal_of) IN (SELECT credit_code, reversal_of FROM reversals)
            GROUP BY e.credit_code, e.reversal_of
        ), targets AS (
            SELECT r.line, r.credit_code, r.order_no, r.reversal_of, r.amount,
                   (r.channel, r.category, r.origin_code, r.festival) AS fields,
                   coalesce(p.order_no, f.order_no) AS found,
                   coalesce(p.reversal_of, f.reversal_of) AS target_reverses,
                   coalesce(p.status, f.status) AS target_status,
                   coalesce(p.amount, f.amount) AS target_amount,
                   CASE WHEN p.order_no IS NOT NULL THEN (p.channel, p.category, p.origin_code, p.festival)
                        ELSE (f.channel, f.category, f.origin_code, f.festival) END AS target_fields,
                   NOT EXISTS (SELECT 1 FROM purchases e
                               WHERE e.credit_code = r.credit_code AND e.order_no = r.order_no) AS is_new
            FROM reversals r
            LEFT JOIN purchases p ON p.credit_code = r.credit_code AND p.order_no = r.reversal_of
            LEFT JOIN staged_purchases f ON f.credit_code = r.credit_code AND f.order_no = r.reversal_of
        ), checked AS (
            -- What all reversals of an order take back: the stored ones and the new ones of this file.
            SELECT t.*, coalesce(s.taken, 0)
                        + sum(CASE WHEN t.is_new THEN t.amount ELSE 0 END)
                          OVER (PARTITION BY t.credit_code, t.reversal_of) AS taken
            FROM targets t LEFT JOIN stored_reversals s USING (credit_code, reversal_of)
        )
        SELECT line, 'reversal_of', 'order ' || reversal_of || ' of ' || credit_code || ' is neither stored nor in this file'
        FROM checked WHERE found IS NULL
        UNION ALL
        SELECT line, 'reversal_of', 'order ' || reversal_of || ' is itself a reversal; reverse the original order'
        FROM checked WHERE found IS NOT NULL AND target_reverses IS NOT NULL
        UNION ALL
        SELECT line, 'reversal_of', 'order ' || reversal_of || ' is ' || target_status || '; only a completed order is reversed'
        FROM checked WHERE found IS NOT NULL AND target_reverses IS NULL AND target_status <> 'completed'
        UNION ALL
        SELECT line, '', 'channel, category, origin_code and festival must repeat those of order ' || reversal_of
        FROM checked WHERE found IS NOT NULL AND fields IS DISTINCT FROM target_fields
        UNION ALL
        SELECT line, 'amount', 'the reversals of order ' || reversal_of || ' take back ' || yuan_text((-taken)::bigint)
               || ', more than its amount ' || yuan_text(target_amount)
        FROM checked
        WHERE found IS NOT NULL AND target_reverses IS NULL AND target_amount + taken < 0
        """
}
