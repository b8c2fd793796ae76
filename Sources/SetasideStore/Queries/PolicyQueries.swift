import PostgresNIO
import SetasideCore

extension Store {
    /// Every policy pack with its rules, ordered by jurisdiction and id.
    public func policyPacks() async throws -> [PolicyPack] {
        try await client.withConnection { connection in try await policyPacks(on: connection) }
    }

    func policyPacks(on connection: PostgresConnection) async throws -> [PolicyPack] {
        var packs: [PolicyPack] = []
        var index: [String: Int] = [:]
        let rows = try await connection.query("""
            SELECT p.id, p.title, p.jurisdiction, p.year_from::int, p.year_to::int, p.source,
                   r.rule_id, r.parameters::text
            FROM policy_packs p
            LEFT JOIN policy_rules r ON r.pack_id = p.id
            ORDER BY length(p.jurisdiction), p.jurisdiction, p.id, r.position
            """, logger: logger)
        for try await (id, title, jurisdiction, yearFrom, yearTo, source, ruleID, parameters)
            in rows.decode((String, String, String, Int, Int?, String, String?, String?).self) {
            if index[id] == nil {
                let code: DivisionCode
                do { code = try DivisionCode(parsing: jurisdiction) } catch {
                    throw StoreError.corruptData("policy pack \(id) has jurisdiction \(jurisdiction): \(error)")
                }
                index[id] = packs.count
                packs.append(PolicyPack(id: id, title: title, jurisdiction: code, yearFrom: yearFrom,
                                        yearTo: yearTo, source: source, rules: []))
            }
            if let ruleID, let parameters {
                packs[index[id]!].rules.append(try PolicyRule(id: ruleID, parametersJSON: parameters))
            }
        }
        let deadlines = try await connection.query(
            "SELECT pack_id, year::int, deadline::text FROM policy_deadlines", logger: logger)
        for try await (id, year, day) in deadlines.decode((String, Int, String).self) {
            guard let i = index[id], let date = try? CalendarDate(parsingISO: day) else {
                throw StoreError.corruptData("the deadline of policy pack \(id) for \(year) is \(day)")
            }
            packs[i].deadlines[year] = date
        }
        return packs
    }
}
