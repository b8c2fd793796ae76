import PostgresNIO
import SetasideCore

extension Store {
    /// The yearly assessment of `scope` (a region, or every unit): the compliance report
    /// of the same code, with the scope's name, the audit chain's head and each unit's
    /// purchases rejected by findings, all read from one snapshot.
    public func assessment(_ scope: ReportScope) async throws -> Assessment {
        try await transaction(readOnlySnapshot: true) { try await assessment(scope, on: $0) }
    }

    /// The same, on `connection`, in the transaction it is in.
    func assessment(_ scope: ReportScope, on connection: PostgresConnection) async throws -> Assessment {
            let report = try await complianceReport(scope, on: connection)
            let code = scope.region ?? DivisionCode.country.text
            let region = try await regionReferences([code], on: connection)[code]
                ?? RegionReference(code: code, name: "", level: "")
            var head: String?
            for try await hash in try await connection.query(
                "SELECT hash FROM audit_chain ORDER BY seq DESC LIMIT 1", logger: logger).decode(String.self) {
                head = hash
            }
            var madeAt = ""
            for try await text in try await connection.query(
                "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')", logger: logger).decode(String.self) {
                madeAt = text
            }
            var rejected: [String: Int] = [:]
            let rows = try await connection.query(scoped("""
                SELECT p.credit_code, count(*)::bigint FROM purchases p JOIN scope u ON u.credit_code = p.credit_code
                WHERE p.ledger_date >= make_date($1::int, 1, 1) AND p.ledger_date < make_date($1::int + 1, 1, 1)
                  AND p.reversal_of IS NULL AND \(PurchaseRules.rejected("p"))
                GROUP BY p.credit_code
                """, scope), logger: logger)
            for try await (unit, count) in rows.decode((String, Int).self) { rejected[unit] = count }
            let applied = Set(report.units.flatMap { $0.rules.map(\.pack) })
            let packs = try await policyPacks(on: connection).filter { applied.contains($0.id) }
            return Assessment(report: report, scope: region, asOf: scope.asOf, madeAt: madeAt, auditHead: head,
                              rejectedPurchases: rejected, packs: packs)
    }
}
