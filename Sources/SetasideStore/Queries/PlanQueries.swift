import PostgresNIO
import SetasideCore

/// An assisting assignment (unit ↔ village, years).
public struct AssignmentView: Sendable, Hashable {
    public var villageCode: String
    public var yearFrom: Int
    public var yearTo: Int

    public init(villageCode: String, yearFrom: Int, yearTo: Int) {
        self.villageCode = villageCode
        self.yearFrom = yearFrom
        self.yearTo = yearTo
    }
}

/// A directed agreement (unit ↔ village, dates).
public struct AgreementView: Sendable, Hashable {
    public var villageCode: String
    public var validFrom: String
    public var validTo: String

    public init(villageCode: String, validFrom: String, validTo: String) {
        self.villageCode = villageCode
        self.validFrom = validFrom
        self.validTo = validTo
    }
}

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

    public func assignments(of creditCode: String) async throws -> [AssignmentView] {
        let rows = try await client.query("""
            SELECT village_code, year_from::int, year_to::int FROM assignments
            WHERE credit_code = \(creditCode) ORDER BY year_from, village_code
            """, logger: logger)
        var result: [AssignmentView] = []
        for try await (village, from, to) in rows.decode((String, Int, Int).self) {
            result.append(AssignmentView(villageCode: village, yearFrom: from, yearTo: to))
        }
        return result
    }

    public func agreements(of creditCode: String) async throws -> [AgreementView] {
        let rows = try await client.query("""
            SELECT village_code, valid_from::text, valid_to::text FROM agreements
            WHERE credit_code = \(creditCode) ORDER BY valid_from, village_code
            """, logger: logger)
        var result: [AgreementView] = []
        for try await (village, from, to) in rows.decode((String, String, String).self) {
            result.append(AgreementView(villageCode: village, validFrom: from, validTo: to))
        }
        return result
    }
}
