import Foundation
import PostgresNIO
import SetasideCore

/// Which units a report covers.
public struct ReportScope: Sendable, Hashable {
    public var year: Int
    /// One unit by credit code, or nil for all.
    public var unit: String?
    /// A region and everything under it in the region tree, or nil for all.
    public var region: String?
    /// A supervising unit and every unit below it (主管预算单位), or nil for all.
    public var supervising: String?
    /// The day the report is made. When it falls in `year`, the year is in progress: only
    /// purchases dated up to it count, and share rules get a year-end projection. A day
    /// after the year cuts nothing.
    public var asOf: CalendarDate?

    /// The last order date counted: `asOf` while the year is in progress, else none.
    public var cutoff: CalendarDate? { asOf.flatMap { $0.year == year ? $0 : nil } }

    public init(year: Int, unit: String? = nil, region: String? = nil, supervising: String? = nil, asOf: CalendarDate? = nil) {
        self.year = year
        self.unit = unit
        self.region = region
        self.supervising = supervising
        self.asOf = asOf
    }
}

extension Store {
    /// Evaluates every unit in scope under the packs in force for its region and year.
    /// The ledger is summed into buckets by SQL; the rules are applied by
    /// `ComplianceEvaluator`, the same code every caller uses.
    public func complianceReport(_ scope: ReportScope) async throws -> ComplianceReport {
        try await transaction(readOnlySnapshot: true) { connection in
            try await complianceReport(scope, on: connection)
        }
    }

    func complianceReport(_ scope: ReportScope, on connection: PostgresConnection) async throws -> ComplianceReport {
        try await checkScope(scope, on: connection)
        let packs = try await policyPacks(on: connection)
        let units = try await scopedUnits(scope, on: connection)
        let ancestry = try await ancestries(scope, on: connection)
        let assisted = try await assistedAncestries(scope, on: connection)
        let histories = try await Self.declarationHistories(units.map { ($0.creditCode, scope.year) }, on: connection,
                                                            logger: logger)
        let supervisors = try await supervisors(scope, on: connection)
        let regionNames = try await regionReferences(Set(ancestry.values.joined().map(\.text)), on: connection)
        var buckets = try await buckets(scope, on: connection)
        let sharing = try await sharedCanteens(scope, units: units, histories: histories, buckets: &buckets, on: connection)
        let results = units.map { unit in
            let rules = PackSelection.rules(ancestry: ancestry[unit.regionCode] ?? [], assisted: assisted[unit.creditCode] ?? [],
                                            year: scope.year, packs: packs)
            let history = histories[DeclarationKey(creditCode: unit.creditCode, year: scope.year)] ?? DeclarationHistory()
            var facts = UnitFacts(unit: unit, year: scope.year, declaration: history.counted?.declaration,
                                  buckets: buckets[unit.creditCode] ?? [], asOf: scope.asOf)
            facts.sharedBy = sharing.declarer[unit.creditCode]
            facts.sharedMembers = (sharing.members[unit.creditCode] ?? []).map {
                SharedMember(unit: $0, buckets: buckets[$0.creditCode] ?? [])
            }
            let deadline = PackSelection.deadline(ancestry: ancestry[unit.regionCode] ?? [], year: scope.year, packs: packs)
            var state = DeclarationState.of(history, deadline: deadline)
            if state == .sharedBy, facts.sharedBy == nil { state = .declared }   // its declarer does not cover it
            var result = UnitCompliance(creditCode: unit.creditCode, name: unit.name, region: unit.regionCode,
                                  rules: ComplianceEvaluator.evaluate(facts, rules: rules),
                                  declaration: state, deadline: deadline,
                                  returned: history.isReturned ? history.latest?.returned : nil,
                                  sharedBy: facts.sharedBy, sharedMembers: facts.sharedMembers.map(\.unit),
                                  supervisors: supervisors[unit.creditCode] ?? [],
                                  regions: (ancestry[unit.regionCode] ?? []).compactMap { regionNames[$0.text] })
            result.level = unit.level
            result.hasCanteen = facts.hasCanteen
            result.plan = facts.declaration
            return result
        }
        return ComplianceReport(year: scope.year, units: results)
    }

    /// The shared canteens (共用食堂) of the units in scope: for a member, the unit that
    /// declares for it; for a declaring unit, its members, whose buckets (those of
    /// members outside the scope too) are added to `buckets`.
    func sharedCanteens(_ scope: ReportScope, units: [UnitProfile], histories: [DeclarationKey: DeclarationHistory],
                        buckets: inout [String: [PurchaseBucket]], on connection: PostgresConnection)
        async throws -> (declarer: [String: UnitReference], members: [String: [UnitReference]]) {
        var declarerOf: [String: String] = [:]
        for unit in units {
            let counted = histories[DeclarationKey(creditCode: unit.creditCode, year: scope.year)]?.counted?.declaration
            if counted?.canteenMode == .shared, let declarer = counted?.declaredBy { declarerOf[unit.creditCode] = declarer }
        }
        let keys = units.filter { declarerOf[$0.creditCode] == nil }.map { DeclarationKey(creditCode: $0.creditCode, year: scope.year) }
        var membersOf = try await Self.sharedCanteenMembers(of: keys, on: connection, logger: logger)
        guard !declarerOf.isEmpty || !membersOf.isEmpty else { return ([:], [:]) }
        // A member whose declaring unit does not cover the canteen that year (no canteen,
        // or itself shared) is evaluated on its own, and not counted at that unit.
        let declarers = Array(Set(declarerOf.values).union(membersOf.keys.map(\.creditCode)))
        let declared = try await Self.declarationHistories(declarers.map { ($0, scope.year) }, on: connection, logger: logger)
        let named = try await unitNames(Array(Set(membersOf.values.joined()).union(declarers)), on: connection)
        func covers(_ code: String) -> Bool {
            SharedCanteen.covers(declaration: declared[DeclarationKey(creditCode: code, year: scope.year)]?.counted?.declaration,
                                 unitHasCanteen: named[code]?.hasCanteen ?? false)
        }
        declarerOf = declarerOf.filter { covers($0.value) }
        membersOf = membersOf.filter { covers($0.key.creditCode) }
        let memberCodes = Set(membersOf.values.joined())
        let names = named.mapValues(\.name)
        let inScope = Set(units.map(\.creditCode))
        let outside = memberCodes.subtracting(inScope)
        if !outside.isEmpty {
            buckets.merge(try await self.buckets(ReportScope(year: scope.year, asOf: scope.asOf), units: outside.sorted(),
                                                 on: connection)) { own, _ in own }
        }
        func reference(_ code: String) -> UnitReference { UnitReference(creditCode: code, name: names[code] ?? "") }
        var members: [String: [UnitReference]] = [:]
        for (key, codes) in membersOf { members[key.creditCode] = codes.map(reference) }
        return (declarerOf.mapValues(reference), members)
    }

    /// The regions `codes`, by code, with their names and levels.
    func regionReferences(_ codes: Set<String>, on connection: PostgresConnection) async throws -> [String: RegionReference] {
        let rows = try await connection.query("""
            SELECT code, name, level FROM regions WHERE code = ANY(\(Array(codes))::text[])
            """, logger: logger)
        var result: [String: RegionReference] = [:]
        for try await (code, name, level) in rows.decode((String, String, String).self) {
            result[code] = RegionReference(code: code, name: name, level: level)
        }
        return result
    }

    /// The names and canteen flags of the units `codes`.
    func unitNames(_ codes: [String], on connection: PostgresConnection) async throws
        -> [String: (name: String, hasCanteen: Bool)] {
        let rows = try await connection.query("""
            SELECT credit_code, name, has_canteen FROM units WHERE credit_code = ANY(\(codes)::text[])
            """, logger: logger)
        var names: [String: (name: String, hasCanteen: Bool)] = [:]
        for try await (code, name, canteen) in rows.decode((String, String, Bool).self) { names[code] = (name, canteen) }
        return names
    }

    /// Throws `notFound` for a unit or region that is not stored.
    func checkScope(_ scope: ReportScope, on connection: PostgresConnection) async throws {
        if let unit = scope.unit {
            let rows = try await connection.query("SELECT 1 FROM units WHERE credit_code = \(unit)", logger: logger)
            if try await rows.collect().isEmpty { throw StoreError.notFound("unit \(unit)") }
        }
        if let region = scope.region {
            let rows = try await connection.query("SELECT 1 FROM regions WHERE code = \(region)", logger: logger)
            if try await rows.collect().isEmpty { throw StoreError.notFound("region \(region)") }
        }
        if let unit = scope.supervising {
            let rows = try await connection.query("SELECT 1 FROM units WHERE credit_code = \(unit)", logger: logger)
            if try await rows.collect().isEmpty { throw StoreError.notFound("unit \(unit)") }
        }
    }

    /// The units of the scope as SQL: a `scope` CTE over binds $1 year, $2 unit, $3 region,
    /// $4 supervising unit (the bucket query adds $5, the cutoff).
    static let scopeCTE = """
        WITH RECURSIVE area AS (
            SELECT code FROM regions WHERE code = $3
            UNION ALL
            SELECT r.code FROM regions r JOIN area a ON r.parent_code = a.code
        ), supervised AS (
            SELECT credit_code FROM units WHERE credit_code = $4
            UNION
            SELECT u.credit_code FROM units u JOIN supervised s ON u.parent_credit_code = s.credit_code
        ), scope AS (
            SELECT u.* FROM units u
            WHERE ($2::text IS NULL OR u.credit_code = $2::text)
              AND ($3::text IS NULL OR u.region_code IN (SELECT code FROM area))
              AND ($4::text IS NULL OR u.credit_code IN (SELECT credit_code FROM supervised))
        )
        """

    func scoped(_ sql: String, _ scope: ReportScope) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(scope.year)
        bindings.append(scope.unit)
        bindings.append(scope.region)
        bindings.append(scope.supervising)
        return PostgresQuery(unsafeSQL: Self.scopeCTE + "\n" + sql, binds: bindings)
    }

    func scopedUnits(_ scope: ReportScope, on connection: PostgresConnection) async throws -> [UnitProfile] {
        let rows = try await connection.query(scoped("""
            SELECT credit_code, name, region_code, level, has_canteen, five_entries,
                   EXISTS (SELECT 1 FROM assignments s
                           WHERE s.credit_code = scope.credit_code AND $1::int BETWEEN s.year_from AND s.year_to)
            FROM scope ORDER BY credit_code
            """, scope), logger: logger)
        var units: [UnitProfile] = []
        for try await (code, name, region, level, canteen, five, assisting)
            in rows.decode((String, String, String, String, Bool, Bool, Bool).self) {
            guard let level = UnitLevel(rawValue: level) else {
                throw StoreError.corruptData("unit \(code) has level \(level)")
            }
            units.append(UnitProfile(creditCode: code, name: name, regionCode: region, level: level,
                                     hasCanteen: canteen, fiveEntries: five, assisting: assisting))
        }
        return units
    }

    /// For each region of a unit in scope: the region, its parent, … up to the root.
    func ancestries(_ scope: ReportScope, on connection: PostgresConnection) async throws -> [String: [DivisionCode]] {
        let rows = try await connection.query(scoped("""
            , chain(start, code, parent, depth) AS (
                SELECT r.code, r.code, r.parent_code, 0
                FROM regions r WHERE r.code IN (SELECT region_code FROM scope) AND $1::int IS NOT NULL
                UNION ALL
                SELECT c.start, r.code, r.parent_code, c.depth + 1
                FROM chain c JOIN regions r ON r.code = c.parent
                WHERE c.depth < 16
            )
            SELECT start, code FROM chain ORDER BY start, depth
            """, scope), logger: logger)
        var result: [String: [DivisionCode]] = [:]
        for try await (start, code) in rows.decode((String, String).self) {
            result[start, default: []].append(try DivisionCode(parsing: code))
        }
        return result
    }

    /// For each unit in scope with a supervising unit: the units above it, nearest first,
    /// with their names (those outside the scope too).
    func supervisors(_ scope: ReportScope, on connection: PostgresConnection) async throws -> [String: [UnitReference]] {
        let rows = try await connection.query(scoped("""
            , above(start, code, depth) AS (
                SELECT s.credit_code, s.parent_credit_code, 1 FROM scope s WHERE s.parent_credit_code IS NOT NULL
                UNION ALL
                SELECT a.start, u.parent_credit_code, a.depth + 1
                FROM above a JOIN units u ON u.credit_code = a.code
                WHERE u.parent_credit_code IS NOT NULL AND a.depth < 64
            )
            SELECT a.start, a.code, u.name FROM above a JOIN units u ON u.credit_code = a.code ORDER BY a.start, a.depth
            """, scope), logger: logger)
        var result: [String: [UnitReference]] = [:]
        for try await (start, code, name) in rows.decode((String, String, String).self) {
            result[start, default: []].append(UnitReference(creditCode: code, name: name))
        }
        return result
    }

    /// For each unit in scope that assists villages in the year: each village's
    /// ancestry (the village first, the root last).
    func assistedAncestries(_ scope: ReportScope, on connection: PostgresConnection)
        async throws -> [String: [[DivisionCode]]] {
        let rows = try await connection.query(scoped("""
            , villages AS (
                SELECT DISTINCT s.credit_code, s.village_code FROM assignments s
                WHERE s.credit_code IN (SELECT credit_code FROM scope) AND $1::int BETWEEN s.year_from AND s.year_to
            ), chain(credit_code, village, code, parent, depth) AS (
                SELECT v.credit_code, v.village_code, r.code, r.parent_code, 0
                FROM villages v JOIN regions r ON r.code = v.village_code
                UNION ALL
                SELECT c.credit_code, c.village, r.code, r.parent_code, c.depth + 1
                FROM chain c JOIN regions r ON r.code = c.parent
                WHERE c.depth < 16
            )
            SELECT credit_code, village, code FROM chain ORDER BY credit_code, village, depth
            """, scope), logger: logger)
        var result: [String: [[DivisionCode]]] = [:]
        var current: (unit: String, village: String)?
        for try await (unit, village, code) in rows.decode((String, String, String).self) {
            if current?.unit != unit || current?.village != village {
                result[unit, default: []].append([])
                current = (unit, village)
            }
            result[unit]![result[unit]!.count - 1].append(try DivisionCode(parsing: code))
        }
        return result
    }

    /// The ledger aggregate the rules need (see `PurchaseBucket`); also run on its own
    /// by the benchmark as the plain-SQL baseline of the report.
    public static let bucketSQL = """
        SELECT p.credit_code, p.channel, p.category,
               coalesce(c.poverty_relieved, false) AS county_relieved,
               o.poverty_relieved OR coalesce(c.poverty_relieved, false) AS origin_relieved,
               o.level = 'village' AND o.poverty_relieved AND EXISTS (
                   SELECT 1 FROM agreements a
                   WHERE a.credit_code = p.credit_code AND a.village_code = p.origin_code
                     AND p.ledger_date BETWEEN a.valid_from AND a.valid_to) AS directed,
               CASE WHEN p.category = 'packing' AND EXISTS (
                   SELECT 1 FROM assignments s
                   WHERE s.credit_code = p.credit_code AND s.village_code = p.origin_code
                     AND $1::int BETWEEN s.year_from AND s.year_to) THEN p.origin_code END AS assisted_village,
               p.festival,
               \(PurchaseRules.rejected("p")) AS rejected,
               sum(p.amount)::bigint AS amount
        FROM purchases p
        JOIN scope u ON u.credit_code = p.credit_code
        JOIN regions o ON o.code = p.origin_code
        LEFT JOIN regions c ON c.code = left(p.origin_code, 6)
        LEFT JOIN \(PurchaseRules.statuses(on: "$5::date")) cs ON cs.credit_code = p.credit_code AND cs.order_no = p.order_no
        WHERE p.ledger_date >= make_date($1::int, 1, 1) AND p.ledger_date < make_date($1::int + 1, 1, 1)
          AND ($5::text IS NULL OR p.order_date <= $5::date)
          AND coalesce(cs.status, p.status) = 'completed'
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        """

    /// The bucket aggregate for `scope` as a psql script (PREPARE and EXECUTE with the
    /// same parameters), so the benchmark can time the plain SQL the report needs.
    public static func bucketScript(_ scope: ReportScope) -> String {
        func literal(_ text: String?) -> String {
            text.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
        }
        return "PREPARE buckets(bigint, text, text, text, text) AS\n\(scopeCTE)\n\(bucketSQL);\n"
            + "EXECUTE buckets(\(scope.year), \(literal(scope.unit)), \(literal(scope.region)), \(literal(scope.supervising)), "
            + "\(literal(scope.cutoff?.iso)));"
    }

    /// The buckets of the units in `scope`, or of the units `units` when given (the
    /// scope's year and cutoff apply).
    func buckets(_ scope: ReportScope, units: [String]? = nil, on connection: PostgresConnection)
        async throws -> [String: [PurchaseBucket]] {
        var query = scoped(Self.bucketSQL, scope)
        query.binds.append(scope.cutoff?.iso)
        if let units {
            query = PostgresQuery(unsafeSQL: """
                WITH scope AS (SELECT u.* FROM units u WHERE u.credit_code = ANY($6::text[])
                               AND $2::text IS NULL AND $3::text IS NULL AND $4::text IS NULL)
                \(Self.bucketSQL)
                """, binds: query.binds)
            query.binds.append(units)
        }
        let rows = try await connection.query(query, logger: logger)
        var result: [String: [PurchaseBucket]] = [:]
        // The rules add a unit's buckets in `Money`, which traps on overflow: a unit whose
        // amounts add up beyond `Int64` fen is refused here instead.
        var magnitudes: [String: UInt64] = [:]
        for try await (code, channel, category, county, origin, directed, village, festival, rejected, amount)
            in rows.decode((String, String, String, Bool, Bool, Bool, String?, String?, Bool, Int64).self) {
            guard let channel = PurchaseChannel(rawValue: channel), let category = PurchaseCategory(rawValue: category) else {
                throw StoreError.corruptData("a purchase of \(code) has channel \(channel), category \(category)")
            }
            let (magnitude, overflow) = magnitudes[code, default: 0].addingReportingOverflow(amount.magnitude)
            guard !overflow, magnitude <= UInt64(Int64.max) else {
                throw StoreError.tooLarge("the purchases of \(code) in \(scope.year) add up beyond what a report can count (±92233720368547758.07 yuan)")
            }
            magnitudes[code] = magnitude
            result[code, default: []].append(PurchaseBucket(
                channel: channel, category: category, countyPovertyRelieved: county, originPovertyRelieved: origin,
                directedFromRelievedVillage: directed, assistedVillage: village, festival: festival,
                rejected: rejected, amount: Money(fen: amount)))
        }
        return result
    }
}
