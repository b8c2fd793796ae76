import PostgresNIO
import SetasideCore

/// What a frozen assessment keeps besides its header: the figures as JSON, the sheets
/// (as `SheetArchive` wrote them) and the counts the command's summary names.
public struct SnapshotContent: Sendable {
    public var snapshot: AssessmentSnapshot
    public var figures: String
    public var sheets: String
    public var units: Int
    public var regions: Int
    public var packing: Int
}

extension Store {
    /// Freezes the assessment of `scope`: computes it with the tables it reads locked
    /// against writers (`assessment_freeze_lock`), so that every entry it does not
    /// include is booked after it with a larger id, and stores what `render` makes of it
    /// (the figures as JSON, the sheets) with each unit's result and figures.
    public func freezeAssessment(
        _ scope: ReportScope, by login: String,
        render: @Sendable (Assessment) throws -> (figures: String, sheets: String)
    ) async throws -> AssessmentSnapshot {
        try await transaction { connection in
            // READ COMMITTED: each statement sees what is committed, and with the lock
            // held nothing more is, so every query below reads one state.
            var marks: (Int64, Int64, Int64, Int64, String) = (0, 0, 0, 0, "")
            for try await row in try await connection.query("""
                SELECT l.last_purchase, l.last_finding, l.last_status_change,
                       nextval(pg_get_serial_sequence('assessment_snapshots', 'id')),
                       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                FROM assessment_freeze_lock() l
                """, logger: logger).decode((Int64, Int64, Int64, Int64, String).self) {
                marks = row
            }
            var assessment = try await assessment(scope, on: connection)
            let snapshot = AssessmentSnapshot(
                id: marks.3, year: scope.year, region: scope.region ?? DivisionCode.country.text, asOf: scope.asOf,
                frozenAt: marks.4, frozenBy: login, auditHead: assessment.auditHead)
            assessment.figures = .frozen(snapshot)
            let (figures, sheets) = try render(assessment)
            try await connection.query("""
                INSERT INTO assessment_snapshots (id, year, region_code, as_of, frozen_at, frozen_by, audit_head,
                    last_purchase, last_finding, last_status_change, unit_count, region_count, packing_count, figures, sheets)
                VALUES (\(snapshot.id), \(scope.year), \(snapshot.region), \(scope.asOf?.iso)::date,
                        \(marks.4)::timestamptz, \(login), \(snapshot.auditHead), \(marks.0), \(marks.1), \(marks.2),
                        \(assessment.report.units.count), \(assessment.regions.count), \(assessment.packing.count),
                        \(figures), \(sheets))
                """, logger: logger)
            let units = assessment.report.units.map(FrozenUnit.init)
            try await connection.query("""
                INSERT INTO assessment_snapshot_units (snapshot_id, credit_code, name, overall, figures)
                SELECT \(snapshot.id), * FROM unnest(\(units.map(\.creditCode))::text[], \(units.map(\.name))::text[],
                                                    \(units.map(\.overall.rawValue))::text[], \(units.map(\.figures))::text[])
                """, logger: logger)
            return snapshot
        }
    }

    /// The latest snapshot of `year` for `region` (`100000`: every unit), if any.
    public func latestSnapshot(year: Int, region: String) async throws -> AssessmentSnapshot? {
        try await snapshots(year: year, region: region).last
    }

    /// Every snapshot of `year` for `region`, oldest first.
    public func snapshots(year: Int, region: String) async throws -> [AssessmentSnapshot] {
        do {
            let rows = try await self.client.query("""
                SELECT id, year::int, region_code, to_char(as_of, 'YYYY-MM-DD'),
                       to_char(frozen_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), frozen_by, audit_head
                FROM assessment_snapshots WHERE year = \(year) AND region_code = \(region) ORDER BY id
                """, logger: logger)
            var out: [AssessmentSnapshot] = []
            for try await (id, year, region, asOf, frozenAt, frozenBy, head)
                in rows.decode((Int64, Int, String, String?, String, String, String?).self) {
                out.append(AssessmentSnapshot(id: id, year: year, region: region,
                                              asOf: try asOf.map { try CalendarDate(parsingISO: $0) },
                                              frozenAt: frozenAt, frozenBy: frozenBy, auditHead: head))
            }
            return out
        }
    }

    /// What `snapshot` keeps: its figures, sheets and counts.
    public func snapshotContent(_ snapshot: AssessmentSnapshot) async throws -> SnapshotContent {
        do {
            let rows = try await self.client.query("""
                SELECT figures, sheets, unit_count, region_count, packing_count FROM assessment_snapshots WHERE id = \(snapshot.id)
                """, logger: logger)
            for try await (figures, sheets, units, regions, packing) in rows.decode((String, String, Int, Int, Int).self) {
                return SnapshotContent(snapshot: snapshot, figures: figures, sheets: sheets, units: units, regions: regions,
                                       packing: packing)
            }
            throw StoreError.corruptData("snapshot \(snapshot.id) has no row")
        }
    }

    /// Each unit's result and figures in `snapshot`.
    public func frozenUnits(_ snapshot: AssessmentSnapshot) async throws -> [FrozenUnit] {
        do {
            let rows = try await self.client.query("""
                SELECT credit_code, name, overall, figures FROM assessment_snapshot_units
                WHERE snapshot_id = \(snapshot.id) ORDER BY credit_code
                """, logger: logger)
            var out: [FrozenUnit] = []
            for try await (code, name, overall, figures) in rows.decode((String, String, String, String).self) {
                guard let status = RuleStatus(rawValue: overall) else {
                    throw StoreError.corruptData("snapshot \(snapshot.id), unit \(code): result \(overall)")
                }
                out.append(FrozenUnit(creditCode: code, name: name, overall: status, figures: figures))
            }
            return out
        }
    }

    /// The purchases, reversals, findings and status changes of the snapshot's year
    /// booked after it for the units of `scope`, in the order they were booked.
    public func entriesBooked(after snapshot: AssessmentSnapshot, in scope: ReportScope) async throws -> [BookedEntry] {
        try await transaction(readOnlySnapshot: true) { connection in
            var query = scoped("""
                , marks AS (SELECT last_purchase, last_finding, last_status_change FROM assessment_snapshots WHERE id = $5::bigint)
                , year_orders AS (
                    SELECT p.* FROM purchases p JOIN scope u ON u.credit_code = p.credit_code
                    WHERE p.ledger_date >= make_date($1::int, 1, 1) AND p.ledger_date < make_date($1::int + 1, 1, 1)
                )
                SELECT kind, credit_code, order_no, detail, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), id
                FROM (
                    SELECT CASE WHEN p.reversal_of IS NULL THEN 'purchase' ELSE 'reversal' END, p.credit_code, p.order_no,
                           CASE WHEN p.reversal_of IS NULL
                                THEN to_char(p.amount / 100.0, 'FM999999999990.00') || ' yuan, ' || p.status || ', ' || p.order_date
                                ELSE to_char(p.amount / 100.0, 'FM999999999990.00') || ' yuan, reversing ' || p.reversal_of END,
                           p.booked_at, p.id
                    FROM year_orders p, marks WHERE p.id > marks.last_purchase
                    UNION ALL
                    SELECT 'finding', f.credit_code, f.order_no, f.verdict || ': ' || f.reason || ' (' || f.inspector || ')',
                           f.recorded_at, f.id
                    FROM findings f JOIN year_orders p USING (credit_code, order_no), marks WHERE f.id > marks.last_finding
                    UNION ALL
                    SELECT 'statusChange', c.credit_code, c.order_no, c.from_status || ' → ' || c.to_status || ' on ' || c.changed_on,
                           c.booked_at, c.id
                    FROM purchase_status_changes c JOIN year_orders p USING (credit_code, order_no), marks
                    WHERE c.id > marks.last_status_change
                ) e (kind, credit_code, order_no, detail, at, id)
                ORDER BY at, id
                """, scope)
            query.binds.append(snapshot.id)
            let rows = try await connection.query(query, logger: logger)
            var out: [BookedEntry] = []
            for try await (kind, code, order, detail, at, _) in rows.decode((String, String, String, String, String, Int64).self) {
                out.append(BookedEntry(kind: BookedEntry.Kind(rawValue: kind) ?? .purchase, creditCode: code, orderNo: order,
                                       detail: detail, bookedAt: at))
            }
            return out
        }
    }
}
