import PostgresNIO
import SetasideCore

extension Importer {
    func importPurchases(_ parsed: ParsedImport<PurchaseRecord>) async throws -> ImportSummary {
        let hasReversals = parsed.records.contains { $0.reversalOf != nil }
        return try await store.transaction { connection in
            try await stage(connection, table: "staged_purchases", definition: """
                line int, credit_code text, order_no text, order_date date, channel text, category text,
                origin_code text, amount bigint, status text, festival text, reversal_of text
                """, records: parsed.records) { rows, r in
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.orderNo); rows.field(r.orderDate.iso)
                rows.field(r.channel.rawValue); rows.field(r.category.rawValue); rows.field(r.originCode.text)
                rows.field(r.amount.fen); rows.field(r.status.rawValue); rows.field(r.festival)
                rows.field(r.reversalOf); rows.endRow()
            }
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
            if hasReversals { found += try await problems(connection, Self.reversalChecks) }
            try refuse(found)
            // Orders first, then reversals, whose ledger date is their original's order date.
            var inserted = try await insertCount(connection, """
                INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                       status, festival, reversal_of, ledger_date)
                SELECT credit_code, order_no, order_date, channel, category, origin_code, amount,
                       status, festival, NULL, order_date
                FROM staged_purchases WHERE reversal_of IS NULL
                ON CONFLICT (credit_code, order_no) DO NOTHING
                """)
            if hasReversals {
                inserted += try await insertCount(connection, """
                    INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                           status, festival, reversal_of, ledger_date)
                    SELECT s.credit_code, s.order_no, s.order_date, s.channel, s.category, s.origin_code, s.amount,
                           s.status, s.festival, s.reversal_of, o.order_date
                    FROM staged_purchases s
                    JOIN purchases o ON o.credit_code = s.credit_code AND o.order_no = s.reversal_of
                    WHERE s.reversal_of IS NOT NULL
                    ON CONFLICT (credit_code, order_no) DO NOTHING
                    """)
            }
            return ImportSummary(kind: .purchases, rows: parsed.records.count, inserted: inserted,
                                 warnings: parsed.warnings, encoding: parsed.encoding)
        }
    }

    /// A reversal must point at a completed order of the same unit (stored or in the
    /// file) that is not itself a reversal, repeat its channel, category, origin and
    /// festival, and, with the other reversals of that order, take back no more than
    /// its amount.
    static let reversalChecks: PostgresQuery = """
        WITH reversals AS (
            SELECT * FROM staged_purchases WHERE reversal_of IS NOT NULL
        ), targets AS (
            SELECT r.line, r.credit_code, r.order_no, r.reversal_of, r.amount,
                   (r.channel, r.category, r.origin_code, r.festival) AS fields,
                   coalesce(p.order_no, f.order_no) AS found,
                   coalesce(p.reversal_of, f.reversal_of) AS target_reverses,
                   coalesce(p.status, f.status) AS target_status,
                   coalesce(p.amount, f.amount) AS target_amount,
                   CASE WHEN p.order_no IS NOT NULL THEN (p.channel, p.category, p.origin_code, p.festival)
                        ELSE (f.channel, f.category, f.origin_code, f.festival) END AS target_fields
            FROM reversals r
            LEFT JOIN purchases p ON p.credit_code = r.credit_code AND p.order_no = r.reversal_of
            LEFT JOIN staged_purchases f ON f.credit_code = r.credit_code AND f.order_no = r.reversal_of
        ), totals AS (
            -- What all reversals of an order take back: stored ones plus new ones in the file.
            SELECT t.credit_code, t.reversal_of,
                   (coalesce(sum(t.amount) FILTER (WHERE NOT EXISTS (
                       SELECT 1 FROM purchases e WHERE e.credit_code = t.credit_code AND e.order_no = t.order_no)), 0)
                   + coalesce((SELECT sum(e.amount) FROM purchases e
                               WHERE e.credit_code = t.credit_code AND e.reversal_of = t.reversal_of), 0))::bigint AS taken
            FROM targets t GROUP BY t.credit_code, t.reversal_of
        )
        SELECT line, 'reversal_of', 'order ' || reversal_of || ' of ' || credit_code || ' is neither stored nor in this file'
        FROM targets WHERE found IS NULL
        UNION ALL
        SELECT line, 'reversal_of', 'order ' || reversal_of || ' is itself a reversal; reverse the original order'
        FROM targets WHERE found IS NOT NULL AND target_reverses IS NOT NULL
        UNION ALL
        SELECT line, 'reversal_of', 'order ' || reversal_of || ' is ' || target_status || '; only a completed order is reversed'
        FROM targets WHERE found IS NOT NULL AND target_reverses IS NULL AND target_status <> 'completed'
        UNION ALL
        SELECT line, '', 'channel, category, origin_code and festival must repeat those of order ' || reversal_of
        FROM targets WHERE found IS NOT NULL AND fields IS DISTINCT FROM target_fields
        UNION ALL
        SELECT t.line, 'amount', 'the reversals of order ' || t.reversal_of || ' take back ' || yuan_text(-x.taken)
               || ', more than its amount ' || yuan_text(t.target_amount)
        FROM targets t JOIN totals x USING (credit_code, reversal_of)
        WHERE t.found IS NOT NULL AND t.target_reverses IS NULL AND t.target_amount + x.taken < 0
        """
}
