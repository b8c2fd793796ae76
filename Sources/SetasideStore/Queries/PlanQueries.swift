import Logging
import PostgresNIO
import SetasideCore

/// A unit-year, the key of its declarations.
public struct DeclarationKey: Hashable, Sendable {
    public var creditCode: String
    public var year: Int

    public init(creditCode: String, year: Int) {
        self.creditCode = creditCode
        self.year = year
    }
}

extension Store {
    /// The columns of a declaration (table alias `d`) as `decodeDeclaration` reads them.
    static let declarationColumns = """
        d.year, d.canteen_food_total, d.reserved_amount, d.union_welfare_budget, d.has_canteen, d.union_purchase_need,
        d.declared_ratio, d.approved_ratio, d.approval_document, d.approved_by, d.approved_on::text, d.declared_on::text,
        d.canteen_mode, d.declared_by
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
        details.canteenMode = try cell(12, String?.self).flatMap(CanteenMode.init(rawValue:))
        details.declaredBy = try cell(13, String?.self)
        return Declaration(year: try cell(0, Int.self), canteenFoodTotal: Money(fen: try cell(1, Int64.self)),
                           reservedAmount: Money(fen: try cell(2, Int64.self)),
                           unionWelfareBudget: Money(fen: try cell(3, Int64.self))).with(details)
    }

    /// Today in China (SQL date): the day a declaration is made when none is given.
    static let todayInChina = "(now() AT TIME ZONE 'Asia/Shanghai')::date"

    /// The columns of what a declaration says, its day aside, as a file or request gives them.
    static let declarationContentColumns = [
        "canteen_food_total", "reserved_amount", "union_welfare_budget", "has_canteen", "union_purchase_need",
        "declared_ratio", "approved_ratio", "approval_document", "approved_by", "approved_on", "canteen_mode", "declared_by",
    ]

    /// A declaration row `table` as the audit trail records it (SQL jsonb): the figures
    /// in fen and the details where set.
    static func declarationJSON(_ table: String) -> String {
        """
        jsonb_strip_nulls(jsonb_build_object(
            'version', \(table).version, 'canteenFoodTotal', \(table).canteen_food_total, 'reservedAmount', \(table).reserved_amount,
            'unionWelfareBudget', \(table).union_welfare_budget, 'hasCanteen', \(table).has_canteen,
            'unionPurchaseNeed', \(table).union_purchase_need, 'declaredRatio', \(table).declared_ratio,
            'approvedRatio', \(table).approved_ratio, 'approvalDocument', \(table).approval_document,
            'approvedBy', \(table).approved_by, 'approvedOn', \(table).approved_on, 'declaredOn', \(table).declared_on,
            'canteenMode', \(table).canteen_mode, 'declaredBy', \(table).declared_by))
        """
    }

    /// Every version of the declarations of the unit-years `keys` (credit code, year),
    /// with their returns; a unit-year without any is absent.
    static func declarationHistories(_ keys: [(creditCode: String, year: Int)], on connection: PostgresConnection,
                                     logger: Logger) async throws -> [DeclarationKey: DeclarationHistory] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT d.credit_code, d.version, to_char(d.stored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   d.stored_by, r.reason, r.returned_by,
                   to_char(r.returned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   \(unescaped: declarationColumns)
            FROM unnest(\(keys.map(\.creditCode))::text[], \(keys.map(\.year))::int[]) k(credit_code, year)
            JOIN declarations d ON d.credit_code = k.credit_code AND d.year = k.year
            LEFT JOIN declaration_returns r ON r.credit_code = d.credit_code AND r.year = d.year AND r.version = d.version
            ORDER BY d.credit_code, d.year, d.version
            """, logger: logger)
        var versions: [DeclarationKey: [DeclarationVersion]] = [:]
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let unit = try cells[0].decode(String.self), version = try cells[1].decode(Int.self)
            let declaration = try decodeDeclaration(row, from: 7)
            let returned = try cells[4].decode(String?.self).map { reason in
                DeclarationReturn(version: version, reason: reason, returnedBy: try cells[5].decode(String.self),
                                  returnedAt: try cells[6].decode(String.self))
            }
            versions[DeclarationKey(creditCode: unit, year: declaration.year), default: []].append(DeclarationVersion(
                version: version, declaration: declaration, storedAt: try cells[2].decode(String?.self),
                storedBy: try cells[3].decode(String?.self), returned: returned))
        }
        return versions.mapValues { DeclarationHistory(versions: $0) }
    }

    /// Takes the units' declaration locks until the transaction ends (advisory locks, in
    /// one order), so that two writers do not both take the next version number. Plain
    /// SQL that takes none meets the primary key instead. Over `AdvisoryLocks.perKeyLimit`
    /// units (a province's declarations file), the lock of every unit instead: the
    /// server's lock table holds a few thousand locks, not one per unit of a province.
    static func lockDeclaringUnits(_ creditCodes: [String], on connection: PostgresConnection, logger: Logger) async throws {
        let distinct = Set(creditCodes)
        if distinct.count > AdvisoryLocks.perKeyLimit {
            _ = try await connection.query("SELECT \(unescaped: AdvisoryLocks.allUnits(.exclusive))", logger: logger).collect()
            return
        }
        _ = try await connection.query("""
            SELECT \(unescaped: AdvisoryLocks.allUnits(.shared))
            """, logger: logger).collect()
        _ = try await connection.query("""
            SELECT \(unescaped: AdvisoryLocks.unit("c"))
            FROM (SELECT DISTINCT unnest(\(Array(distinct))::text[]) AS c ORDER BY 1) units
            """, logger: logger).collect()
    }

    /// Every version of a unit's declaration for a year, oldest first (none: empty).
    public func declarationHistory(of creditCode: String, year: Int) async throws -> DeclarationHistory {
        try await transaction(readOnlySnapshot: true) { connection in
            try await Self.declarationHistories([(creditCode, year)], on: connection, logger: logger)[
                DeclarationKey(creditCode: creditCode, year: year)] ?? DeclarationHistory()
        }
    }

    /// Declares a unit's plan for a year: stores it as the next version unless the
    /// latest version says the same and was not returned (`DeclarationHistory`). The
    /// audit trail keeps the version before and the one stored. Returns the history
    /// after, and whether a version was stored.
    public func putDeclaration(_ declaration: Declaration, of creditCode: String, actor: String)
        async throws -> (history: DeclarationHistory, stored: Bool) {
        try await transaction { connection in
            try await Self.lockDeclaringUnits([creditCode] + [declaration.declaredBy].compactMap { $0 }, on: connection,
                                              logger: logger)
            let key = DeclarationKey(creditCode: creditCode, year: declaration.year)
            let history = try await Self.declarationHistories([(creditCode, declaration.year)], on: connection,
                                                              logger: logger)[key] ?? DeclarationHistory()
            guard history.isNewVersion(declaration, declaringAgain: true) else { return (history, false) }
            let sharing = try await Self.sharedCanteenProblems([(creditCode, declaration)], on: connection, logger: logger)
            if !sharing.isEmpty {
                throw ImportError.rejected(sharing.map { InputProblem.field($0.column, $0.reason) })
            }
            let version = (history.latest?.version ?? 0) + 1
            let waiver = declaration.waiver
            let stored = try await connection.query("""
                INSERT INTO declarations (credit_code, year, version, canteen_food_total, reserved_amount, union_welfare_budget,
                                          has_canteen, union_purchase_need, declared_ratio, approved_ratio,
                                          approval_document, approved_by, approved_on, declared_on, stored_by,
                                          canteen_mode, declared_by)
                VALUES (\(creditCode), \(declaration.year), \(version), \(declaration.canteenFoodTotal.fen),
                        \(declaration.reservedAmount.fen), \(declaration.unionWelfareBudget.fen),
                        \(declaration.hasCanteen), \(declaration.unionPurchaseNeed), \(declaration.declaredBasisPoints),
                        \(waiver?.basisPoints), \(waiver?.document), \(waiver?.approvedBy), \(waiver?.approvedOn?.iso)::date,
                        coalesce(\(declaration.declaredOn?.iso)::date, \(unescaped: Self.todayInChina)), \(actor),
                        \(declaration.canteenMode?.rawValue), \(declaration.declaredBy))
                RETURNING \(unescaped: Self.declarationJSON("declarations"))::text
                """, logger: logger)
            let after = try await stored.decode(String.self).first(where: { _ in true })
            var before: String?
            if let latest = history.latest {
                let rows = try await connection.query("""
                    SELECT \(unescaped: Self.declarationJSON("d"))::text FROM declarations d
                    WHERE d.credit_code = \(creditCode) AND d.year = \(declaration.year) AND d.version = \(latest.version)
                    """, logger: logger)
                before = try await rows.decode(String.self).first(where: { _ in true })
            }
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "declaration.put", entity: "declaration",
                entityKey: "\(creditCode) \(declaration.year) v\(version)", creditCode: creditCode,
                before: before, after: after), on: connection, logger: logger)
            let now = try await Self.declarationHistories([(creditCode, declaration.year)], on: connection, logger: logger)[key]
            return (now ?? history, true)
        }
    }

    /// Returns (退回) the latest version of a unit's declaration for a year with a
    /// reason: the unit declares again. Throws `notFound` when the year has no
    /// declaration and `conflict` when its latest version was returned already.
    public func returnDeclaration(of creditCode: String, year: Int, version asked: Int? = nil, reason: String, actor: String)
        async throws -> DeclarationHistory {
        try await transaction { connection in
            try await Self.lockDeclaringUnits([creditCode], on: connection, logger: logger)
            let key = DeclarationKey(creditCode: creditCode, year: year)
            let history = try await Self.declarationHistories([(creditCode, year)], on: connection, logger: logger)[key]
                ?? DeclarationHistory()
            guard let latest = history.latest else { throw StoreError.notFound("a declaration of \(creditCode) for \(year)") }
            if let returned = latest.returned {
                throw StoreError.conflict("""
                    version \(latest.version) of the declaration of \(creditCode) for \(year) was returned already \
                    (\(returned.returnedAt), by \(returned.returnedBy)); the unit declares again before it can be returned
                    """)
            }
            if let asked, asked != latest.version {
                throw StoreError.conflict("""
                    version \(asked) of the declaration of \(creditCode) for \(year) is not the latest (version \(latest.version)); \
                    read it again before returning it
                    """)
            }
            // The version that counts after the return must keep the shared-canteen rules.
            if let after = history.versions.dropLast().last(where: { $0.returned == nil }) {
                let problems = try await Self.sharedCanteenProblems([(creditCode, after.declaration)], on: connection, logger: logger)
                if !problems.isEmpty {
                    throw StoreError.conflict("returning version \(latest.version) would make version \(after.version) count again, "
                                              + "which " + problems.map(\.reason).joined(separator: "; ")
                                              + "; the unit declares again instead")
                }
            }
            try await connection.query("""
                INSERT INTO declaration_returns (credit_code, year, version, reason, returned_by)
                VALUES (\(creditCode), \(year), \(latest.version), \(reason), \(actor))
                """, logger: logger)
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "declaration.return", entity: "declaration",
                entityKey: "\(creditCode) \(year) v\(latest.version)", creditCode: creditCode,
                after: "{\"version\": \(latest.version), \"reason\": \(JSONText.string(reason))}"), on: connection, logger: logger)
            return try await Self.declarationHistories([(creditCode, year)], on: connection, logger: logger)[key] ?? history
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
