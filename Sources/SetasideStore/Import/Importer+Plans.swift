import PostgresNIO
import SetasideCore

extension Importer {
    /// The check that every staged row's unit is stored.
    static func unknownUnits(_ table: String) -> String {
        """
        SELECT s.line, 'credit_code', \(notStoredSQL("unit", column: "s.credit_code", first: "units"))
        FROM \(table) s WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.credit_code = s.credit_code)
        """
    }

    /// The check that every staged row's village is a stored village.
    static func unknownVillages(_ table: String) -> String {
        """
        SELECT s.line, 'village_code', \(notStoredSQL("village", column: "s.village_code", first: "regions"))
        FROM \(table) s WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = s.village_code)
        """
    }

    public func importDeclarations(_ parsed: ParsedImport<DeclarationRecord>) async throws -> ImportSummary {
        try await store.transaction { connection in
            try await stage(connection, .declarations, table: "staged_declarations", definition: """
                line int, credit_code text, year smallint, canteen_food_total bigint, reserved_amount bigint,
                union_welfare_budget bigint, has_canteen boolean, union_purchase_need boolean, declared_ratio integer,
                approved_ratio integer, approval_document text, approved_by text, approved_on date, declared_on date,
                canteen_mode text, declared_by text
                """, records: parsed.records) { rows, r in
                let d = r.declaration
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(d.year)
                rows.field(d.canteenFoodTotal.fen); rows.field(d.reservedAmount.fen); rows.field(d.unionWelfareBudget.fen)
                rows.field(d.hasCanteen.map { $0 ? "t" : "f" }); rows.field(d.unionPurchaseNeed.map { $0 ? "t" : "f" })
                rows.field(d.declaredBasisPoints.map(String.init)); rows.field(d.waiver.map { String($0.basisPoints) })
                rows.field(d.waiver?.document); rows.field(d.waiver?.approvedBy); rows.field(d.waiver?.approvedOn?.iso)
                rows.field(d.declaredOn?.iso); rows.field(d.canteenMode?.rawValue); rows.field(d.declaredBy); rows.endRow()
            }
            try refuse(try await problems(connection, PostgresQuery(unsafeSQL: Self.unknownUnits("staged_declarations"))))
            // A row says the same as the unit-year's latest version (and that was not
            // returned): nothing to store. Any other row is the next version.
            let keys = parsed.records.map { (creditCode: $0.creditCode.text, year: $0.declaration.year) }
            try await Store.lockDeclaringUnits(keys.map(\.creditCode) + parsed.records.compactMap(\.declaration.declaredBy),
                                               on: connection, logger: store.logger)
            let histories = try await Store.declarationHistories(keys, on: connection, logger: store.logger)
            var lines: [Int] = [], versions: [Int] = []
            for record in parsed.records {
                let history = histories[DeclarationKey(creditCode: record.creditCode.text, year: record.declaration.year)]
                    ?? DeclarationHistory()
                guard history.isNewVersion(record.declaration) else { continue }
                lines.append(record.line)
                versions.append((history.latest?.version ?? 0) + 1)
            }
            // Who declares for a shared canteen, with the file's new versions in force.
            let fresh = parsed.records.filter { Set(lines).contains($0.line) }
            try refuse(try await Store.sharedCanteenProblems(fresh.map { ($0.creditCode.text, $0.declaration) },
                                                             on: connection, logger: store.logger).map {
                InputProblem(line: fresh[$0.index].line, field: $0.column, reason: $0.reason)
            })
            let columns = Store.declarationContentColumns
            // The lines to store and their versions (whole numbers, written inline).
            let chosen = "unnest('{\(lines.map(String.init).joined(separator: ","))}'::int[], "
                + "'{\(versions.map(String.init).joined(separator: ","))}'::int[]) v(line, version)"
            let inserted = lines.isEmpty ? 0 : try await insertAudited(connection, .declarations, """
                INSERT INTO declarations (credit_code, year, version, \(columns.joined(separator: ", ")), declared_on, stored_by)
                SELECT s.credit_code, s.year, v.version, \(columns.map { "s." + $0 }.joined(separator: ", ")),
                       coalesce(s.declared_on, \(Store.todayInChina)), $1
                FROM staged_declarations s JOIN \(chosen) ON v.line = s.line
                -- A writer that does not lock the unit (plain SQL) may have taken the number.
                ON CONFLICT (credit_code, year, version) DO NOTHING
                """)
            if inserted < lines.count {
                try refuse(try await problems(connection, PostgresQuery(unsafeSQL: """
                    SELECT s.line, '', 'the declaration of ' || s.credit_code || ' for ' || s.year
                           || ' was stored by another writer while this file was imported; nothing was stored: import the file again'
                    FROM staged_declarations s JOIN \(chosen) ON v.line = s.line
                    JOIN declarations d ON d.credit_code = s.credit_code AND d.year = s.year AND d.version = v.version
                    WHERE d.xmin <> pg_current_xact_id()::xid
                    """), conflicts: true))
            }
            return ImportSummary(kind: .declarations, rows: parsed.records.count, inserted: inserted,
                                 warnings: parsed.warnings, encoding: parsed.encoding)
        }
    }

    /// Imports village links (assignments or agreements, by `Bound`): the unit and the
    /// village must be stored; a link stored from the same first year or day with
    /// another last one is a conflict.
    public func importLinks<Bound: LinkBound>(_ parsed: ParsedImport<VillageLink<Bound>>) async throws -> ImportSummary {
        let kind = Bound.linkKind, file = kind.importKind
        let (table, staged, from, to) = (file.rawValue, "staged_" + file.rawValue, kind.fromColumn, kind.toColumn)
        let type = kind == .assignment ? "smallint" : "date"
        return try await store.transaction { connection in
            try await stage(connection, file, table: staged, definition: """
                line int, credit_code text, village_code text, \(from) \(type), \(to) \(type)
                """, records: parsed.records) { rows, r in
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.villageCode.text)
                rows.field(r.from.text); rows.field(r.to.text); rows.endRow()
            }
            let inserted = try await insertChecked(connection, file, checks: """
                \(Self.unknownUnits(staged))
                UNION ALL
                \(Self.unknownVillages(staged))
                """, conflicts: """
                SELECT s.line, '\(to)', 'the \(kind.rawValue) of ' || s.credit_code || ' with ' || s.village_code
                       || ' from ' || s.\(from) || ' is stored until ' || a.\(to)
                FROM \(staged) s
                JOIN \(table) a USING (credit_code, village_code, \(from))
                WHERE a.\(to) <> s.\(to)
                """, insert: """
                INSERT INTO \(table) (credit_code, village_code, \(from), \(to))
                SELECT credit_code, village_code, \(from), \(to) FROM \(staged)
                ON CONFLICT (credit_code, village_code, \(from)) DO NOTHING
                """)
            return ImportSummary(kind: file, rows: parsed.records.count, inserted: inserted,
                                 warnings: parsed.warnings, encoding: parsed.encoding)
        }
    }

    /// Refuses the file when `checks` or `conflicts` (queries of `(line, field, reason)`
    /// rows: rows wrong against what is stored, rows whose key is stored with other
    /// content) find problems, runs `insert` (which skips rows already stored), then runs
    /// `conflicts` again. API writes do not take the import lock: a declaration put
    /// through the API between the first checks and the INSERT would otherwise be kept in
    /// place of the file's figures without a word; the second run names it and nothing is
    /// stored.
    func insertChecked(_ connection: PostgresConnection, _ kind: ImportKind, checks: String, conflicts: String,
                       insert: String) async throws -> Int {
        try refuse(try await problems(connection, PostgresQuery(unsafeSQL: checks))
                   + problems(connection, PostgresQuery(unsafeSQL: conflicts), conflicts: true))
        let inserted = try await insertAudited(connection, kind, insert)
        try refuse(try await problems(connection, PostgresQuery(unsafeSQL: conflicts), conflicts: true))
        return inserted
    }
}
