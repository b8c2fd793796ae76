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
                has_canteen boolean, five_entries boolean, assisting boolean, check_character_valid boolean
                """, records: parsed.records) { rows, r in
                rows.field(r.line); rows.field(r.creditCode.text); rows.field(r.name); rows.field(r.regionCode.text)
                rows.field(r.level.rawValue); rows.field(r.hasCanteen); rows.field(r.fiveEntries); rows.field(r.assisting)
                rows.field(r.creditCode.hasValidCheckCharacter); rows.endRow()
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
                """))
            let inserted = try await insertAudited(connection, .units, """
                INSERT INTO units (credit_code, name, region_code, level, has_canteen, five_entries, assisting,
                                   check_character_valid)
                SELECT credit_code, name, region_code, level, has_canteen, five_entries, assisting, check_character_valid
                FROM staged_units
                ON CONFLICT (credit_code) DO NOTHING
                """)
            return ImportSummary(kind: .units, rows: parsed.records.count, inserted: inserted,
                                 warnings: parsed.warnings, encoding: parsed.encoding)
        }
    }
}
