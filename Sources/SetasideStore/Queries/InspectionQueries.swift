import PostgresNIO
import SetasideCore

/// An inspector's finding on a purchase.
public struct FindingView: Sendable, Hashable {
    public var id: Int64
    public var purchaseID: Int64
    public var verdict: String
    public var reason: String
    public var inspector: String
    public var recordedAt: String
}

/// A reproducible sample of a region's purchases.
public struct SpotCheck: Sendable {
    public var region: String
    public var year: Int
    public var seed: String
    /// How many purchases the sample was drawn from.
    public var population: Int
    public var purchases: [Purchase]
}

extension Store {
    /// Records a finding on a purchase (accept, reject with a reason, note).
    public func addFinding(purchase: Purchase, verdict: String, reason: String, inspector: String, actor: String)
        async throws -> FindingView {
        try await transaction { connection in
            let rows = try await connection.query("""
                INSERT INTO findings (credit_code, order_no, verdict, reason, inspector)
                VALUES (\(purchase.creditCode.text), \(purchase.orderNo), \(verdict), \(reason), \(inspector))
                RETURNING id, verdict, reason, inspector,
                          to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                """, logger: logger)
            guard let (id, verdict, reason, inspector, at) = try await rows
                .decode((Int64, String, String, String, String).self).first(where: { _ in true })
            else { throw StoreError.corruptData("a finding could not be read back") }
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "finding.add", entity: "finding", entityKey: String(id),
                creditCode: purchase.creditCode.text,
                after: "{\"purchase\": \(purchase.id), \"verdict\": \(JSONText.string(verdict)), \"reason\": \(JSONText.string(reason))}"),
                on: connection, logger: logger)
            return FindingView(id: id, purchaseID: purchase.id, verdict: verdict, reason: reason, inspector: inspector,
                               recordedAt: at)
        }
    }

    /// The findings recorded on `purchase`, oldest first.
    public func findings(of purchase: Purchase) async throws -> [FindingView] {
        let rows = try await client.query("""
            SELECT id, verdict, reason, inspector, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM findings WHERE credit_code = \(purchase.creditCode.text) AND order_no = \(purchase.orderNo)
            ORDER BY id
            """, logger: logger)
        var found: [FindingView] = []
        for try await (id, verdict, reason, inspector, at) in rows.decode((Int64, String, String, String, String).self) {
            found.append(FindingView(id: id, purchaseID: purchase.id, verdict: verdict, reason: reason, inspector: inspector,
                                     recordedAt: at))
        }
        return found
    }

    /// Draws `size` purchases of the year (by ledger date, as the report counts them) of
    /// units under `region`: the counted orders, or with `includeAll` every row. Each
    /// purchase's place is the hash of the seed and its id, so the same seed and the same
    /// data give the same sample.
    public func spotCheck(region: String, year: Int, size: Int, seed: String, includeAll: Bool = false,
                          actor: String) async throws -> SpotCheck {
        try await transaction { connection in
            let scope = """
                WITH RECURSIVE area AS (
                    SELECT code FROM regions WHERE code = $1
                    UNION ALL
                    SELECT r.code FROM regions r JOIN area a ON r.parent_code = a.code
                )
                """
            var bindings = PostgresBindings()
            bindings.append(region)
            bindings.append(year)
            bindings.append(seed)
            bindings.append(size)
            bindings.append(includeAll)
            let population = """
                FROM purchases p JOIN units u ON u.credit_code = p.credit_code
                WHERE u.region_code IN (SELECT code FROM area)
                  AND p.ledger_date >= make_date($2::int, 1, 1) AND p.ledger_date < make_date($2::int + 1, 1, 1)
                  AND ($5::boolean OR (p.reversal_of IS NULL AND \(PurchaseRules.counted("p"))))
                """
            let counted = try await connection.query(PostgresQuery(unsafeSQL: scope + """
                SELECT count(*)::bigint \(population) AND $3::text IS NOT NULL AND $4::int IS NOT NULL
                """, binds: bindings), logger: logger)
            let count = try await counted.decode(Int.self).first(where: { _ in true }) ?? 0
            let rows = try await connection.query(PostgresQuery(unsafeSQL: scope + """
                SELECT \(Self.purchaseColumns) \(population)
                ORDER BY md5($3::text || ':' || p.id::text), p.id
                LIMIT $4::int
                """, binds: bindings), logger: logger)
            let sample = try await Self.decodePurchases(rows)
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "spotcheck.draw", entity: "spotcheck", entityKey: "\(region) \(year) \(seed)",
                after: "{\"size\": \(size), \"includeAll\": \(includeAll), \"population\": \(count), \"ids\": [\(sample.map { String($0.id) }.joined(separator: ", "))]}"),
                on: connection, logger: logger)
            return SpotCheck(region: region, year: year, seed: seed, population: count, purchases: sample)
        }
    }
}
