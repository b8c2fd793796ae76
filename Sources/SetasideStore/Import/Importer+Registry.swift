import PostgresNIO
import SetasideCore

extension Importer {
    public func importRegions(_ parsed: ParsedImport<RegionRecord>) async throws -> ImportSummary {
        try await store.transaction { connection in
            try await stage(connection, .regions, table: "staged_regions", definition: """
                line int, code text, name text, level text, parent_code text, poverty_relieved boolean
                """, records: parsed.records) { rows, r in
                rows.field(r.line); rows.field(r.code.text); rows.field(r.name); rows.field(r.level.rawValue)
                rows.field(r.parentCode.text); rows.field(r.povertyRelieved); rows.endRow()
            }
            try refuse(try await problems(connection, """
                WITH ranks(level, rank) AS (VALUES ('country', 0), ('province', 1), ('city', 2),
                                                   ('county', 3), ('township', 4), ('village', 5)),
                     parents AS (
                         SELECT s.line, s.parent_code, s.level,
                                coalesce(r.level, p.level) AS parent_level
                         FROM staged_regions s
                         LEFT JOIN regions r ON r.code = s.parent_code
                         LEFT JOIN staged_regions p ON p.code = s.parent_code)
                SELECT line, 'parent_code', 'region ' || parent_code || ' is neither stored nor in this file'
                FROM parents WHERE parent_level IS NULL
                UNION ALL
                SELECT x.line, 'parent_code', 'the parent ' || x.parent_code || ' is a ' || x.parent_level
                       || '; a ' || x.level || ' must sit under a larger region'
                FROM parents x JOIN ranks c ON c.level = x.level JOIN ranks p ON p.level = x.parent_level
                WHERE p.rank >= c.rank
                UNION ALL
                SELECT s.line, '', 'region ' || s.code || ' is stored with different content ('
                       || r.name || ', ' || r.level || ', parent ' || coalesce(r.parent_code, '-')
                       || ', poverty_relieved ' || r.poverty_relieved || ')'
                FROM staged_regions s JOIN regions r ON r.code = s.code
                WHERE (r.name, r.level, r.parent_code, r.poverty_relieved)
                      IS DISTINCT FROM (s.name, s.level, s.parent_code, s.poverty_relieved)
                """))
            let inserted = try await insertAudited(connection, .regions, """
                INSERT INTO regions (code, name, level, parent_code, poverty_relieved)
                SELECT code, name, level, parent_code, poverty_relieved FROM staged_regions
                ON CONFLICT (code) DO NOTHING
                """)
            return ImportSummary(kind: .regions, rows: parsed.records.count, inserted: inserted,
                                 warnings: parsed.warnings, encoding: parsed.encoding)
        }
    }

    public func importUnits(_ parsed: ParsedImport<UnitRecord>) async throws -> ImportSummary {
        try await store.transaction { connection in
            try await stage(connection, .units, table: "staged_units", definition: """
                line int, credit_code text, name text, region_code text, level text,
                has_canteen boolean, five_entries boolean, assisting boolean, check_character_valid boolean,
                parent_credit_code text
                """, records: parsed.records) { rows, r in
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.name); rows.field(r.regionCode.text)
                rows.field(r.level.rawValue); rows.field(r.hasCanteen); rows.field(r.fiveEntries); rows.field(r.assisting)
                rows.field(r.creditCode.hasValidCheckCharacter); rows.field(r.parentCreditCode); rows.endRow()
            }
            try refuse(try await problems(connection, """
                SELECT s.line, 'region_code', \(unescaped: Self.notStoredSQL("region", column: "s.region_code", first: "regions"))
                FROM staged_units s WHERE NOT EXISTS (SELECT 1 FROM regions r WHERE r.code = s.region_code)
                UNION ALL
                SELECT s.line, '', 'unit ' || s.credit_code || ' is stored with different content ('
                       || u.name || ', region ' || u.region_code || ', ' || u.level || ', has_canteen '
                       || u.has_canteen || ', five_entries ' || u.five_entries || ', assisting ' || u.assisting || ')'
                FROM staged_units s JOIN units u ON u.credit_code = s.credit_code
                WHERE (u.name, u.region_code, u.level, u.has_canteen, u.five_entries, u.assisting)
                      IS DISTINCT FROM (s.name, s.region_code, s.level, s.has_canteen, s.five_entries, s.assisting)
                UNION ALL
                SELECT s.line, 'parent_credit_code', 'unit ' || s.credit_code || ' is stored under the supervising unit '
                       || u.parent_credit_code || '; a supervising unit once stored is not changed by a file'
                FROM staged_units s JOIN units u ON u.credit_code = s.credit_code
                WHERE s.parent_credit_code IS NOT NULL AND u.parent_credit_code IS NOT NULL
                  AND s.parent_credit_code <> u.parent_credit_code
                UNION ALL
                SELECT s.line, 'parent_credit_code',
                       \(unescaped: Self.notStoredSQL("unit", column: "s.parent_credit_code", first: "units (or in this file)"))
                FROM staged_units s
                WHERE s.parent_credit_code IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM units u WHERE u.credit_code = s.parent_credit_code)
                  AND NOT EXISTS (SELECT 1 FROM staged_units p WHERE p.credit_code = s.parent_credit_code)
                """))
            let inserted = try await insertAudited(connection, .units, """
                INSERT INTO units (credit_code, name, region_code, level, has_canteen, five_entries, assisting,
                                   check_character_valid, parent_credit_code)
                SELECT credit_code, name, region_code, level, has_canteen, five_entries, assisting, check_character_valid,
                       parent_credit_code
                FROM staged_units
                ON CONFLICT (credit_code) DO NOTHING
                """)
            // A unit stored without a supervising unit takes the one the file gives; the
            // trail records each.
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(actor)
            let changed = try await connection.query(PostgresQuery(unsafeSQL: """
                WITH changed AS (
                    UPDATE units u SET parent_credit_code = s.parent_credit_code
                    FROM staged_units s
                    WHERE u.credit_code = s.credit_code AND u.parent_credit_code IS NULL AND s.parent_credit_code IS NOT NULL
                    RETURNING u.credit_code, u.parent_credit_code
                ), audited AS (
                    SELECT audit_append($1, 'import.units.parent', 'unit', credit_code, credit_code, NULL,
                                        jsonb_build_object('parentCreditCode', parent_credit_code)) AS id
                    FROM changed
                )
                SELECT count(*)::bigint FROM audited
                """, binds: bindings), logger: store.logger)
            var supervised = 0
            for try await count in changed.decode(Int.self) { supervised = count }
            try refuse(try await problems(connection, PostgresQuery(unsafeSQL: Self.supervisingCycles("staged_units"))))
            return ImportSummary(kind: .units, rows: parsed.records.count, inserted: inserted + supervised,
                                 warnings: parsed.warnings, encoding: parsed.encoding)
        }
    }

    /// The rows of `table` (staged units) whose unit is in a cycle of supervising units,
    /// as problems naming the cycle's units in order.
    static func supervisingCycles(_ table: String) -> String {
        """
        WITH RECURSIVE up(start, code, path) AS (
            SELECT u.credit_code, u.parent_credit_code, ARRAY[u.credit_code]
            FROM \(table) s JOIN units u ON u.credit_code = s.credit_code
            WHERE u.parent_credit_code IS NOT NULL
            UNION ALL
            SELECT up.start, u.parent_credit_code, up.path || up.code
            FROM up JOIN units u ON u.credit_code = up.code
            WHERE u.parent_credit_code IS NOT NULL AND up.code <> up.start AND NOT up.code = ANY(up.path[2:])
        )
        SELECT s.line, 'parent_credit_code',
               'the supervising units form a cycle: ' || array_to_string(up.path || up.code, ' → ')
               || '; a unit cannot be supervised, directly or not, by itself'
        FROM up JOIN \(table) s ON s.credit_code = up.start
        WHERE up.code = up.start
        """
    }
}
