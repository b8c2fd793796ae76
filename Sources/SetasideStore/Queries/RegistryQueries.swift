import PostgresNIO
import SetasideCore

/// A unit as the API shows it.
public struct UnitRecordView: Sendable, Hashable {
    public var profile: UnitProfile
    /// False for an early code whose check character fails GB 32100-2015.
    public var checkCharacterValid: Bool
}

/// A region as the API shows it.
public struct RegionView: Sendable, Hashable {
    public var code: String
    public var name: String
    public var level: String
    public var parentCode: String?
    public var povertyRelieved: Bool
}

extension Store {
    /// Units in credit-code order after `cursor`, limited to those `account` may read.
    public func units(visibleTo account: Account, after cursor: String?, limit: Int)
        async throws -> (units: [UnitRecordView], next: String?) {
        let rows = try await client.query("""
            WITH RECURSIVE area AS (
                SELECT code FROM regions WHERE code = \(account.region)
                UNION ALL
                SELECT r.code FROM regions r JOIN area a ON r.parent_code = a.code
            ), supervised AS (
                SELECT credit_code FROM units WHERE credit_code = \(account.supervising)
                UNION
                SELECT u.credit_code FROM units u JOIN supervised s ON u.parent_credit_code = s.credit_code
            )
            SELECT credit_code, name, region_code, level, has_canteen, five_entries, assisting, check_character_valid
            FROM units u
            WHERE credit_code > \(cursor ?? "")
              AND CASE \(account.role.rawValue)
                    WHEN 'admin' THEN TRUE
                    WHEN 'inspector' THEN u.region_code IN (SELECT code FROM area)
                                          OR u.credit_code IN (SELECT credit_code FROM supervised)
                    ELSE u.credit_code = ANY(\(account.units.sorted())::text[]) END
            ORDER BY credit_code
            LIMIT \(limit + 1)
            """, logger: logger)
        var units = try await Self.decodeUnits(rows)
        var next: String?
        if units.count > limit {
            units.removeLast()
            next = units.last?.profile.creditCode
        }
        return (units, next)
    }

    /// One unit, or nil.
    public func unit(_ creditCode: String) async throws -> UnitRecordView? {
        let rows = try await client.query("""
            SELECT credit_code, name, region_code, level, has_canteen, five_entries, assisting, check_character_valid
            FROM units WHERE credit_code = \(creditCode)
            """, logger: logger)
        return try await Self.decodeUnits(rows).first
    }

    static func decodeUnits(_ rows: PostgresRowSequence) async throws -> [UnitRecordView] {
        var units: [UnitRecordView] = []
        for try await (code, name, region, level, canteen, five, assisting, valid)
            in rows.decode((String, String, String, String, Bool, Bool, Bool, Bool).self) {
            guard let level = UnitLevel(rawValue: level) else { throw StoreError.corruptData("unit \(code) has level \(level)") }
            units.append(UnitRecordView(
                profile: UnitProfile(creditCode: code, name: name, regionCode: region, level: level, hasCanteen: canteen,
                                     fiveEntries: five, assisting: assisting),
                checkCharacterValid: valid))
        }
        return units
    }

    /// Regions under `root` (or all), in code order.
    public func regions(under root: String?) async throws -> [RegionView] {
        let rows = try await client.query("""
            WITH RECURSIVE area AS (
                SELECT code FROM regions WHERE code = coalesce(\(root), '100000')
                UNION ALL
                SELECT r.code FROM regions r JOIN area a ON r.parent_code = a.code
            )
            SELECT code, name, level, parent_code, poverty_relieved FROM regions
            WHERE code IN (SELECT code FROM area) ORDER BY code
            """, logger: logger)
        var regions: [RegionView] = []
        for try await (code, name, level, parent, relieved) in rows.decode((String, String, String, String?, Bool).self) {
            regions.append(RegionView(code: code, name: name, level: level, parentCode: parent, povertyRelieved: relieved))
        }
        return regions
    }

    /// One region by code (`code` nil: the first region with no parent, by code); nil
    /// when there is none.
    public func region(_ code: String?) async throws -> RegionView? {
        let rows = try await client.query("""
            SELECT code, name, level, parent_code, poverty_relieved FROM regions
            WHERE (\(code)::text IS NULL AND parent_code IS NULL) OR code = \(code)::text
            ORDER BY code LIMIT 1
            """, logger: logger)
        for try await (code, name, level, parent, relieved) in rows.decode((String, String, String, String?, Bool).self) {
            return RegionView(code: code, name: name, level: level, parentCode: parent, povertyRelieved: relieved)
        }
        return nil
    }
}
