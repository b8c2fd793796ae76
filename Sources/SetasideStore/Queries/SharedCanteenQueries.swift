import Logging
import PostgresNIO
import SetasideCore

extension Store {
    /// For each declaring unit-year of `declarers`: the units whose declaration that counts
    /// names it in `declared_by` as declaring for their shared canteen (sorted). `pending`
    /// are declarations about to be stored: they count in place of what is stored.
    static func sharedCanteenMembers(of declarers: [DeclarationKey], pending: [DeclarationKey: Declaration] = [:],
                                     on connection: PostgresConnection, logger: Logger) async throws -> [DeclarationKey: [String]] {
        guard !declarers.isEmpty else { return [:] }
        let rows = try await connection.query("""
            SELECT DISTINCT d.credit_code, d.year::int
            FROM unnest(\(declarers.map(\.creditCode))::text[], \(declarers.map(\.year))::int[]) k(credit_code, year)
            JOIN declarations d ON d.declared_by = k.credit_code AND d.year = k.year
            """, logger: logger)
        var candidates: [(creditCode: String, year: Int)] = []
        for try await (code, year) in rows.decode((String, Int).self) { candidates.append((code, year)) }
        let histories = try await declarationHistories(candidates, on: connection, logger: logger)
        var counted: [DeclarationKey: Declaration] = [:]
        for (key, history) in histories { counted[key] = history.counted?.declaration }
        for (key, declaration) in pending { counted[key] = declaration }
        let wanted = Set(declarers)
        var members: [DeclarationKey: [String]] = [:]
        for (key, declaration) in counted where declaration.canteenMode == .shared {
            guard let declarer = declaration.declaredBy, declarer != key.creditCode else { continue }
            let declaring = DeclarationKey(creditCode: declarer, year: key.year)
            if wanted.contains(declaring) { members[declaring, default: []].append(key.creditCode) }
        }
        return members.mapValues { $0.sorted() }
    }

    /// The `SharedCanteen` problems of storing each of `pending` (unit, declaration) as the
    /// declaration that counts, all of them together: by index in `pending`.
    static func sharedCanteenProblems(_ pending: [(unit: String, declaration: Declaration)], on connection: PostgresConnection,
                                      logger: Logger) async throws -> [(index: Int, column: String, reason: String)] {
        var overriding: [DeclarationKey: Declaration] = [:]
        for p in pending { overriding[DeclarationKey(creditCode: p.unit, year: p.declaration.year)] = p.declaration }
        let declarerKeys = pending.compactMap { p in
            p.declaration.declaredBy.map { DeclarationKey(creditCode: $0, year: p.declaration.year) }
        }
        let stored = try await declarationHistories(declarerKeys.map { ($0.creditCode, $0.year) }, on: connection, logger: logger)
        let members = try await sharedCanteenMembers(
            of: pending.map { DeclarationKey(creditCode: $0.unit, year: $0.declaration.year) }, pending: overriding,
            on: connection, logger: logger)
        let known = try await connection.query("""
            SELECT credit_code FROM units WHERE credit_code = ANY(\(declarerKeys.map(\.creditCode))::text[])
            """, logger: logger)
        var stores = Set<String>()
        for try await code in known.decode(String.self) { stores.insert(code) }
        var problems: [(Int, String, String)] = []
        for (index, p) in pending.enumerated() {
            if let code = p.declaration.declaredBy, !stores.contains(code) {
                problems.append((index, "declared_by", Importer.notStored("unit", code, first: "units")))
                continue
            }
            let key = DeclarationKey(creditCode: p.unit, year: p.declaration.year)
            let declarer = p.declaration.declaredBy.flatMap { code -> Declaration? in
                let declaring = DeclarationKey(creditCode: code, year: p.declaration.year)
                return overriding[declaring] ?? stored[declaring]?.counted?.declaration
            }
            for (column, reason) in SharedCanteen.problems(unit: p.unit, declaration: p.declaration, declarer: declarer,
                                                           members: members[key] ?? []) {
                problems.append((index, column, reason))
            }
        }
        return problems
    }
}
