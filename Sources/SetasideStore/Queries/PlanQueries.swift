import PostgresNIO
import SetasideCore

extension Store {
    /// A unit's declaration for a year, or nil.
    public func declaration(of creditCode: String, year: Int) async throws -> Declaration? {
        let rows = try await client.query("""
            SELECT canteen_food_total, reserved_amount, union_welfare_budget FROM declarations
            WHERE credit_code = \(creditCode) AND year = \(year)
            """, logger: logger)
        for try await (total, reserved, union) in rows.decode((Int64, Int64, Int64).self) {
            return Declaration(year: year, canteenFoodTotal: Money(fen: total), reservedAmount: Money(fen: reserved),
                               unionWelfareBudget: Money(fen: union))
        }
        return nil
    }

    /// Declares (or re-declares) a unit's plan for a year; the audit trail keeps the
    /// figures before and after. Returns whether the year was new.
    @discardableResult
    public func putDeclaration(_ declaration: Declaration, of creditCode: String, actor: String) async throws -> Bool {
        try await transaction { connection in
            let before = try await connection.query("""
                SELECT jsonb_build_object('canteenFoodTotal', canteen_food_total, 'reservedAmount', reserved_amount,
                                          'unionWelfareBudget', union_welfare_budget)::text
                FROM declarations WHERE credit_code = \(creditCode) AND year = \(declaration.year) FOR UPDATE
                """, logger: logger)
            let previous = try await before.decode(String.self).first(where: { _ in true })
            try await connection.query("""
                INSERT INTO declarations (credit_code, year, canteen_food_total, reserved_amount, union_welfare_budget)
                VALUES (\(creditCode), \(declaration.year), \(declaration.canteenFoodTotal.fen),
                        \(declaration.reservedAmount.fen), \(declaration.unionWelfareBudget.fen))
                ON CONFLICT (credit_code, year) DO UPDATE SET
                    canteen_food_total = EXCLUDED.canteen_food_total,
                    reserved_amount = EXCLUDED.reserved_amount,
                    union_welfare_budget = EXCLUDED.union_welfare_budget
                """, logger: logger)
            let after = "{\"canteenFoodTotal\": \(declaration.canteenFoodTotal.fen), \"reservedAmount\": "
                + "\(declaration.reservedAmount.fen), \"unionWelfareBudget\": \(declaration.unionWelfareBudget.fen)}"
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "declaration.put", entity: "declaration", entityKey: "\(creditCode) \(declaration.year)",
                creditCode: creditCode, before: previous, after: after), on: connection, logger: logger)
            return previous == nil
        }
    }

    /// A unit's village links of one kind (assignments or agreements, by `Bound`), by
    /// their first year or day.
    public func links<Bound: LinkBound>(of creditCode: String, _ bound: Bound.Type) async throws -> [VillageLink<Bound>] {
        let kind = Bound.linkKind, table = kind.importKind.rawValue
        var bindings = PostgresBindings()
        bindings.append(creditCode)
        let rows = try await client.query(PostgresQuery(unsafeSQL: """
            SELECT credit_code, village_code, \(kind.fromColumn)::text, \(kind.toColumn)::text FROM \(table)
            WHERE credit_code = $1 ORDER BY \(kind.fromColumn), village_code
            """, binds: bindings), logger: logger)
        var links: [VillageLink<Bound>] = []
        for try await (unit, village, from, to) in rows.decode((String, String, String, String).self) {
            do {
                links.append(try VillageLink.checked(creditCode: try CreditCode(parsing: unit),
                                                     villageCode: try DivisionCode(parsing: village),
                                                     from: try Bound(parsingBound: from), to: try Bound(parsingBound: to)))
            } catch {
                throw StoreError.corruptData("the \(kind.rawValue) of \(unit) with \(village) from \(from): \(error)")
            }
        }
        return links
    }
}
