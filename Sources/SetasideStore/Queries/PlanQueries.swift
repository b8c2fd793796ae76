import PostgresNIO
import SetasideCore

extension Store {
    /// The columns of a declaration (table alias `d`) as `decodeDeclaration` reads them.
    static let declarationColumns = """
        d.year, d.canteen_food_total, d.reserved_amount, d.union_welfare_budget, d.has_canteen, d.union_purchase_need,
        d.declared_ratio, d.approved_ratio, d.approval_document, d.approved_by, d.approved_on::text, d.declared_on::text
        """

    /// A declaration from the `declarationColumns` of a row, starting at `first`.
    static func decodeDeclaration(_ row: PostgresRow, from first: Int = 0) throws -> Declaration {
        let cells = row.makeRandomAccess()
        func cell<T: PostgresDecodable>(_ i: Int, _ type: T.Type) throws -> T { try cells[first + i].decode(T.self) }
        var details = Declaration.Details()
        details.hasCanteen = try cell(4, Bool?.self)
        details.unionPurchaseNeed = try cell(5, Bool?.self)
        details.declaredBasisPoints = try cell(6, Int?.self)
        details.approvedBasisPoints = try cell(7, Int?.self)
        details.approvalDocument = try cell(8, String?.self)
        details.approvedBy = try cell(9, String?.self)
        details.approvedOn = try cell(10, String?.self).flatMap { try? CalendarDate(parsingISO: $0) }
        details.declaredOn = try cell(11, String?.self).flatMap { try? CalendarDate(parsingISO: $0) }
        return Declaration(year: try cell(0, Int.self), canteenFoodTotal: Money(fen: try cell(1, Int64.self)),
                           reservedAmount: Money(fen: try cell(2, Int64.self)),
                           unionWelfareBudget: Money(fen: try cell(3, Int64.self))).with(details)
    }

    /// Today in China (SQL date): the day a declaration is made when none is given.
    static let todayInChina = "(now() AT TIME ZONE 'Asia/Shanghai')::date"

    /// What a declaration says (SQL row over the table or alias `table`), its day aside.
    static func declarationContent(_ table: String) -> String {
        "(" + declarationContentColumns.map { "\(table).\($0)" }.joined(separator: ", ") + ")"
    }

    /// The columns of `declarationContent`.
    static let declarationContentColumns = [
        "canteen_food_total", "reserved_amount", "union_welfare_budget", "has_canteen", "union_purchase_need",
        "declared_ratio", "approved_ratio", "approval_document", "approved_by", "approved_on",
    ]

    /// A declaration row `table` as the audit trail records it (SQL jsonb): the figures
    /// in fen and the details where set.
    static func declarationJSON(_ table: String) -> String {
        """
        jsonb_strip_nulls(jsonb_build_object(
            'canteenFoodTotal', \(table).canteen_food_total, 'reservedAmount', \(table).reserved_amount,
            'unionWelfareBudget', \(table).union_welfare_budget, 'hasCanteen', \(table).has_canteen,
            'unionPurchaseNeed', \(table).union_purchase_need, 'declaredRatio', \(table).declared_ratio,
            'approvedRatio', \(table).approved_ratio, 'approvalDocument', \(table).approval_document,
            'approvedBy', \(table).approved_by, 'approvedOn', \(table).approved_on, 'declaredOn', \(table).declared_on))
        """
    }

    /// A unit's declaration for a year, or nil.
    public func declaration(of creditCode: String, year: Int) async throws -> Declaration? {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.declarationColumns) FROM declarations d
            WHERE d.credit_code = \(creditCode) AND d.year = \(year)
            """, logger: logger)
        for try await row in rows { return try Self.decodeDeclaration(row) }
        return nil
    }

    /// Declares (or re-declares) a unit's plan for a year; the audit trail keeps the
    /// figures before and after. Returns whether the year was new.
    @discardableResult
    public func putDeclaration(_ declaration: Declaration, of creditCode: String, actor: String) async throws -> Bool {
        try await transaction { connection in
            let before = try await connection.query("""
                SELECT \(unescaped: Self.declarationJSON("declarations"))::text
                FROM declarations WHERE credit_code = \(creditCode) AND year = \(declaration.year) FOR UPDATE
                """, logger: logger)
            let previous = try await before.decode(String.self).first(where: { _ in true })
            let waiver = declaration.waiver
            let stored = try await connection.query("""
                INSERT INTO declarations (credit_code, year, canteen_food_total, reserved_amount, union_welfare_budget,
                                          has_canteen, union_purchase_need, declared_ratio, approved_ratio,
                                          approval_document, approved_by, approved_on, declared_on)
                VALUES (\(creditCode), \(declaration.year), \(declaration.canteenFoodTotal.fen),
                        \(declaration.reservedAmount.fen), \(declaration.unionWelfareBudget.fen),
                        \(declaration.hasCanteen), \(declaration.unionPurchaseNeed), \(declaration.declaredBasisPoints),
                        \(waiver?.basisPoints), \(waiver?.document), \(waiver?.approvedBy), \(waiver?.approvedOn?.iso)::date,
                        coalesce(\(declaration.declaredOn?.iso)::date, \(unescaped: Self.todayInChina)))
                ON CONFLICT (credit_code, year) DO UPDATE SET
                    canteen_food_total = EXCLUDED.canteen_food_total,
                    reserved_amount = EXCLUDED.reserved_amount,
                    union_welfare_budget = EXCLUDED.union_welfare_budget,
                    has_canteen = EXCLUDED.has_canteen,
                    union_purchase_need = EXCLUDED.union_purchase_need,
                    declared_ratio = EXCLUDED.declared_ratio,
                    approved_ratio = EXCLUDED.approved_ratio,
                    approval_document = EXCLUDED.approval_document,
                    approved_by = EXCLUDED.approved_by,
                    approved_on = EXCLUDED.approved_on,
                    -- Sent again unchanged, a declaration keeps the day it was made.
                    declared_on = CASE WHEN \(unescaped: Self.declarationContent("declarations"))
                                            IS NOT DISTINCT FROM \(unescaped: Self.declarationContent("EXCLUDED"))
                                            AND \(declaration.declaredOn?.iso)::date IS NULL
                                       THEN declarations.declared_on ELSE EXCLUDED.declared_on END
                RETURNING \(unescaped: Self.declarationJSON("declarations"))::text
                """, logger: logger)
            let after = try await stored.decode(String.self).first(where: { _ in true })
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
