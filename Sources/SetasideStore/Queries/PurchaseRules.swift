import SetasideCore

/// The rules of a purchase write that the database applies, each written once and used
/// by every way a purchase is stored: an import file's staged rows, an order or reversal
/// posted alone, and orders posted together (a group commit).
///
/// Each is SQL text over a relation shaped like `stagedColumns`: the import's temporary
/// table `staged_purchases`, or, for writes from the API, a `staged_purchases` CTE over
/// the bound values of their rows (`stagedCTE`).
enum PurchaseRules {
    /// The shape of staged purchases: the columns of a purchases file, typed, with the
    /// file line (0 for a row that came from no file).
    static let stagedColumns = """
        line int, credit_code text, order_no text, order_date date, channel text, category text,
        origin_code text, amount bigint, status text, festival text, reversal_of text,
        supplier_name text, supplier_credit_code text, product text
        """

    /// The columns a purchase is written with, in the order every INSERT (and the
    /// import's COPY into the ledger) uses.
    static let insertColumnNames = [
        "credit_code", "order_no", "order_date", "channel", "category", "origin_code", "amount", "status", "festival",
        "reversal_of", "ledger_date", "booked_by", "supplier_name", "supplier_credit_code", "product",
    ]

    /// `insertColumnNames` as the column list of an INSERT.
    static let insertColumns = insertColumnNames.joined(separator: ", ")

    /// A `staged_purchases` CTE (without the leading `WITH`) over bound arrays `$1`…`$14`
    /// in `stagedColumns` order (an empty text of an optional column is NULL), with each
    /// row's place `n` (from 1): how a write of the API runs the checks of a file.
    static let stagedCTE = """
        staged_purchases AS (
            SELECT line, credit_code, order_no, order_date, channel, category, origin_code, amount, status,
                   nullif(festival, '') AS festival, nullif(reversal_of, '') AS reversal_of,
                   nullif(supplier_name, '') AS supplier_name, nullif(supplier_credit_code, '') AS supplier_credit_code,
                   nullif(product, '') AS product, n
            FROM unnest($1::int[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[],
                        $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[])
                WITH ORDINALITY
                AS s(line, credit_code, order_no, order_date, channel, category, origin_code, amount, status,
                     festival, reversal_of, supplier_name, supplier_credit_code, product, n)
        )
        """

    /// The number of bound arrays `stagedCTE` reads; a statement's own binds follow them.
    static let stagedArrayCount = 14

    /// Whether the purchase `p` counts toward the rules (SQL boolean): completed now, and
    /// its order (a reversal's original) not rejected by the latest finding
    /// (`rejected_orders`).
    static func counted(_ p: String) -> String {
        "\(currentStatus(p)) = 'completed' AND NOT \(rejected(p))"
    }

    /// The purchase `p`'s status now (SQL text): its last status change's, else the one it
    /// was stored with.
    static func currentStatus(_ p: String) -> String {
        """
        coalesce((SELECT c.to_status FROM purchase_status_changes c
                  WHERE c.credit_code = \(p).credit_code AND c.order_no = \(p).order_no ORDER BY c.id DESC LIMIT 1),
                 \(p).status)
        """
    }

    /// Every changed order's status on the day `cutoff` (a SQL date or NULL: now), as a
    /// relation `(credit_code, order_no, status)` to join (a report reads many orders;
    /// few have changed): a change dated after the day does not count yet.
    static func statuses(on cutoff: String) -> String {
        """
        (SELECT DISTINCT ON (credit_code, order_no) credit_code, order_no, to_status AS status
         FROM purchase_status_changes WHERE \(cutoff) IS NULL OR changed_on <= \(cutoff)
         ORDER BY credit_code, order_no, id DESC)
        """
    }

    /// Whether the order `p` has had the status `status` (SQL text) at some time: stored with
    /// it, or changed to it.
    static func hadStatus(_ p: String, _ status: String) -> String {
        """
        (\(p).status = \(status) OR EXISTS (
            SELECT 1 FROM purchase_status_changes c
            WHERE c.credit_code = \(p).credit_code AND c.order_no = \(p).order_no AND c.to_status = \(status)))
        """
    }

    /// Whether the latest finding on the purchase `p`'s order (a reversal's original)
    /// rejects it (SQL boolean).
    static func rejected(_ p: String) -> String {
        """
        EXISTS (
            SELECT 1 FROM rejected_orders x
            WHERE x.credit_code = \(p).credit_code AND x.order_no = coalesce(\(p).reversal_of, \(p).order_no))
        """
    }

    /// What an order number coming again must repeat to be the same order, its status
    /// aside (a status it has had repeats it: `repeats`; another is a change).
    static func content(_ alias: String) -> String {
        "(\(alias).order_date, \(alias).channel, \(alias).category, \(alias).origin_code, \(alias).amount, "
            + "\(alias).festival, \(alias).reversal_of, \(alias).supplier_name, "
            + "\(alias).supplier_credit_code, \(alias).product)"
    }

    /// Whether the row `row` repeats the purchase `stored` in everything but its status
    /// (SQL boolean): a file that does so with another status reports a status change.
    static func sameOrder(_ stored: String, _ row: String) -> String {
        "\(content(stored)) IS NOT DISTINCT FROM \(content(row))"
    }

    /// Whether the row `row` repeats the purchase `stored` as it is or was (SQL boolean):
    /// the same order in a status it has had (an order sent again after it was paid, an
    /// older export sent again).
    static func repeats(_ stored: String, _ row: String) -> String {
        "(\(sameOrder(stored, row)) AND \(hadStatus(stored, "\(row).status")))"
    }

    /// Staged rows that report an order stored with the same content in another status it
    /// never had: each is a status change to book, when `StatusChange.allowed` allows it
    /// (the others are `conflicts`). Columns: `s` the row, `p` the order.
    static let reportedChanges = """
        staged_purchases s JOIN purchases p ON p.credit_code = s.credit_code AND p.order_no = s.order_no
        WHERE s.reversal_of IS NULL AND \(sameOrder("p", "s")) AND NOT \(hadStatus("p", "s.status"))
        """

    /// Why the row `row` is refused when its order number is stored as `stored` with
    /// other content (SQL text expression).
    static func differentContent(_ stored: String, _ row: String) -> String {
        """
        'order ' || \(row).order_no || ' of ' || \(row).credit_code
        || ' is stored with different content (purchase ' || \(stored).id || ': ' || \(stored).order_date || ', '
        || \(stored).channel || ', ' || \(stored).category || ', ' || \(stored).origin_code || ', '
        || yuan_text(\(stored).amount) || ', ' || \(stored).status || coalesce(', ' || \(stored).festival, '')
        || coalesce(', reversal of ' || \(stored).reversal_of, '') || ')'
        """
    }

    /// The day a row's amount counts on (SQL date): its order date, or for a reversal its
    /// original's order date (`originalDate`, a SQL expression), so a reversal booked in
    /// January nets against last year's order.
    static func ledgerDate(_ row: String, originalDate: String) -> String {
        "CASE WHEN \(row).reversal_of IS NULL THEN \(row).order_date ELSE \(originalDate) END"
    }

    /// The problems, as `(line, field, reason)` rows, of staged rows against what is
    /// stored: a unit or origin that is not stored. (Orders stored with other content are
    /// `conflicts`.)
    static let storedChecks = """
        \(Importer.unknownUnits("staged_purchases"))
        UNION ALL
        SELECT s.line, 'origin_code', \(Importer.notStoredSQL("region", column: "s.origin_code", first: "regions"))
        FROM staged_purchases s WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = s.origin_code)
        """

    /// Staged rows whose order number is stored with other content besides the status,
    /// as problems.
    static let conflicts = """
        SELECT s.line, 'order_no', \(differentContent("p", "s"))
        FROM staged_purchases s
        JOIN purchases p ON p.credit_code = s.credit_code AND p.order_no = s.order_no
        WHERE NOT (\(sameOrder("p", "s")))
        """

    /// Staged orders reporting a stored order in a status it cannot take, as problems: a
    /// status the order cannot change to from its current one; a whole refund of an order
    /// partly refunded by reversals, stored or staged with it. (Reversals have no status
    /// changes: a file whose staged rows are all reversals has none of these.)
    static let statusConflicts = """
        SELECT s.line, 'status', '\(StatusChange.refusal(orderNo: "' || s.order_no || '", from: "' || \(currentStatus("p")) || '",
                                                           to: "' || s.status || '"))'
        FROM \(reportedChanges)
          AND (\(currentStatus("p")), s.status) NOT IN \(StatusChange.allowedSQL)
        UNION ALL
        SELECT s.line, 'status', '\(StatusChange.partlyRefunded(orderNo: "' || s.order_no || '"))'
        FROM \(reportedChanges)
          AND s.status = 'refunded'
          AND (EXISTS (SELECT 1 FROM purchases e WHERE e.credit_code = p.credit_code AND e.reversal_of = p.order_no)
               OR EXISTS (SELECT 1 FROM staged_purchases e WHERE e.credit_code = p.credit_code AND e.reversal_of = p.order_no))
        """

    /// The orders whose status the staged rows change (`credit_code, order_no`): locked
    /// before their status is read, as a change from the API locks its order.
    static let changedOrderKeys = """
        SELECT s.credit_code, s.order_no FROM \(reportedChanges)
        """

    /// The orders that the staged reversals take back (`credit_code, order_no`): locked
    /// before what is left of them is computed, as every reversal does, so that no other
    /// reversal of them commits between the checks and the INSERT. The locks are advisory
    /// ones (`AdvisoryLocks.order`), not row locks, which would need UPDATE on the ledger.
    static let reversedOrderKeys = """
        SELECT DISTINCT credit_code, reversal_of FROM staged_purchases WHERE reversal_of IS NOT NULL
        """

    /// What a reversal may take back, as problems of the staged reversals: it points at
    /// a completed order of the same unit (stored, or staged with it) that is not itself a
    /// reversal, is dated on or after it, repeats its channel, category, origin and
    /// festival, and, with the other
    /// reversals of that order, takes back no more than its amount. Staged rows already
    /// stored (a repeat) are not counted twice. With `stagedCTE`, the staged rows are the
    /// bound arrays of `stagedCTE`; else the import's temporary table.
    static func reversalChecks(stagedCTE withCTE: Bool) -> String {
        "WITH " + (withCTE ? stagedCTE + ", " : "") + reversalCheckBody
    }

    private static let reversalCheckBody = """
        reversals AS (
            SELECT * FROM staged_purchases WHERE reversal_of IS NOT NULL
        ), stored_reversals AS (
            SELECT e.credit_code, e.reversal_of, sum(e.amount)::bigint AS taken
            FROM purchases e
            WHERE e.reversal_of IS NOT NULL
              AND (e.credit_code, e.reversal_of) IN (SELECT credit_code, reversal_of FROM reversals)
            GROUP BY e.credit_code, e.reversal_of
        ), targets AS (
            SELECT r.line, r.credit_code, r.order_no, r.reversal_of, r.amount, r.order_date,
                   coalesce(p.order_date, f.order_date) AS target_date,
                   (r.channel, r.category, r.origin_code, r.festival) AS fields,
                   coalesce(p.order_no, f.order_no) AS found,
                   coalesce(p.reversal_of, f.reversal_of) AS target_reverses,
                   coalesce(\(currentStatus("p")), f.status) AS target_status,
                   coalesce(p.amount, f.amount) AS target_amount,
                   CASE WHEN p.order_no IS NOT NULL THEN (p.channel, p.category, p.origin_code, p.festival)
                        ELSE (f.channel, f.category, f.origin_code, f.festival) END AS target_fields,
                   NOT EXISTS (SELECT 1 FROM purchases e
                               WHERE e.credit_code = r.credit_code AND e.order_no = r.order_no) AS is_new
            FROM reversals r
            LEFT JOIN purchases p ON p.credit_code = r.credit_code AND p.order_no = r.reversal_of
            LEFT JOIN staged_purchases f ON f.credit_code = r.credit_code AND f.order_no = r.reversal_of
        ), checked AS (
            -- What all reversals of an order take back: the stored ones and the new staged ones.
            SELECT t.*, coalesce(s.taken, 0)
                        + sum(CASE WHEN t.is_new THEN t.amount ELSE 0 END)
                          OVER (PARTITION BY t.credit_code, t.reversal_of) AS taken
            FROM targets t LEFT JOIN stored_reversals s USING (credit_code, reversal_of)
        )
        SELECT line, 'reversal_of', 'order ' || reversal_of || ' of ' || credit_code
               || ' is not stored (nor among the rows sent with it)'
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
        SELECT line, 'order_date', 'a reversal is dated on or after its original; order ' || reversal_of
               || ' is dated ' || target_date
        FROM checked WHERE found IS NOT NULL AND order_date < target_date
        UNION ALL
        SELECT line, 'amount', 'the reversals of order ' || reversal_of || ' take back ' || yuan_text((-taken)::bigint)
               || ', more than its amount ' || yuan_text(target_amount)
        FROM checked
        WHERE found IS NOT NULL AND target_reverses IS NULL AND target_amount + taken < 0
        """
}
