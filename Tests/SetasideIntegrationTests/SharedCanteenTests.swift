import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// Shared canteens (共用食堂，由 X 填报, issue 11): the declaring unit's canteen rules take the
/// group; members' are not applicable and name the declaring unit.
@Suite struct SharedCanteenTests {
    /// Unit E: 平鲁区, district level, a canteen shared with unit A.
    static let unitE = Fixtures.code("12140603MB0000005")
    static let header = "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,canteen_mode,declared_by,declared_on\n"

    /// Declaration rows as written without their day, declared in time (2024-02-01).
    static func inTime(_ rows: String) -> String { rows.replacingOccurrences(of: "\n", with: ",2024-02-01\n") }

    static func load(_ store: Store, declarations: String) async throws -> [ImportSummary] {
        try await ImportTests.load(store, [
            (.regions, Fixtures.regions),
            (.units, Fixtures.units + "\(unitE),示例单位戊,140603,district,true,false,false\n"),
            (.declarations, header + inTime(declarations)),
            (.assignments, Fixtures.assignments), (.agreements, Fixtures.agreements),
            (.purchases, Fixtures.purchases + "\(unitE),E1,2024-03-01,platform832,canteenFood,140603,20000,completed,,\n"
                + "\(unitE),E2,2024-03-02,other,canteenFood,140602,5000,completed,,\n"),
        ])
    }

    static func report(_ store: Store, unit: String? = nil) async throws -> [String: UnitCompliance] {
        let report = try await store.complianceReport(ReportScope(year: 2024, unit: unit, asOf: CalendarDate(year: 2025, month: 1, day: 1)))
        return Dictionary(uniqueKeysWithValues: report.units.map { ($0.creditCode, $0) })
    }

    @Test func aMembersPurchasesCountAtTheDeclaringUnitAndTheMemberNamesIt() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.load(store, declarations: "\(Fixtures.unitA),2024,100000,10000,20000,own,\n"
                                        + "\(Self.unitE),2024,0,0,0,shared,\(Fixtures.unitA)\n")
            // A alone in scope: E (outside it) still counts in A's canteen rule.
            for scope in [nil, Fixtures.unitA] {
                let a = try await Self.report(store, unit: scope)[Fixtures.unitA]
                let canteen = a?.rules.first { $0.rule == "canteen-reserve-10" }
                // Base: the larger of A's declared 100 000 and the group's logged 101 000 + 25 000.
                #expect(canteen?.base == .yuan(126_000), "scope \(scope ?? "all")")
                // A's own 16 000 and E's 20 000 from a relieved county through the platform.
                #expect(canteen?.actual == .money(.yuan(16_000 + 20_000)))
                #expect(canteen?.notes.contains { $0.contains(Self.unitE) && $0.contains("示例单位戊") } == true)
                #expect(a?.sharedMembers == [UnitReference(creditCode: Self.unitE, name: "示例单位戊")])
                // Its union rule stays its own.
                #expect(a?.rules.first { $0.rule == "union-welfare-30" }?.actual == .money(.yuan(6_500)))
            }
            let e = try await Self.report(store, unit: Self.unitE)[Self.unitE]
            let canteen = e?.rules.first { $0.rule == "canteen-reserve-10" }
            #expect(canteen?.status == .notApplicable)
            #expect(canteen?.notes == ["shared canteen (共用食堂) declared by \(Fixtures.unitA) 示例单位甲"])
            #expect(e?.declaration == .sharedBy && e?.sharedBy?.creditCode == Fixtures.unitA)
            let json = try await store.complianceReport(ReportScope(year: 2024, unit: Self.unitE)).json()
            #expect(json.contains(#""sharedBy": {"creditCode": "\#(Fixtures.unitA)", "name": "示例单位甲"}"#))
            let csv = try await store.complianceReport(ReportScope(year: 2024, unit: Self.unitE)).csv()
            #expect(csv.split(separator: "\n").first?.hasSuffix(",notes,parent,shared_by") == true)
            #expect(csv.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",\(Fixtures.unitA)") })
        }
    }

    @Test func whoMayDeclareForWhomIsChecked() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.load(store, declarations: "\(Fixtures.unitA),2024,100000,10000,20000,own,\n"
                                        + "\(Self.unitE),2024,0,0,0,shared,\(Fixtures.unitA)\n")
            func refused(_ rows: String) async -> [String] {
                do {
                    _ = try await Operations(store: store).importFile(.declarations, bytes: Array((Self.header + Self.inTime(rows)).utf8),
                                                                      by: .commandLine(user: "tests"))
                    return []
                } catch ImportError.rejected(let problems) {
                    return problems.map { "\($0.line) \($0.field)" }
                } catch {
                    return ["\(error)"]
                }
            }
            // A declares for E: it cannot itself declare as shared.
            #expect(await refused("\(Fixtures.unitA),2024,100000,10000,20000,shared,\(Fixtures.unitB)\n") == ["2 canteen_mode"])
            // B declares shared through E, which itself declares as shared.
            #expect(await refused("\(Fixtures.unitB),2024,50000,5000,0,shared,\(Self.unitE)\n") == ["2 declared_by"])
            // A unit not stored; the unit itself; a mode without its declarer.
            let stranger = Fixtures.code("12140603MB0000009")
            #expect(await refused("\(Fixtures.unitB),2024,50000,5000,0,shared,\(stranger)\n") == ["2 declared_by"])
            #expect(await refused("\(Fixtures.unitB),2024,50000,5000,0,shared,\(Fixtures.unitB)\n") == ["2 declared_by"])
            #expect(await refused("\(Fixtures.unitB),2024,50000,5000,0,shared,\n") == ["2 declared_by"])
            #expect(await refused("\(Fixtures.unitB),2024,50000,5000,0,own,\(Fixtures.unitA)\n") == ["2 canteen_mode"])
            // In one file: E leaves the group and A then declares shared through B: both fine.
            #expect(await refused("\(Self.unitE),2024,30000,3000,0,own,\n"
                                  + "\(Fixtures.unitA),2024,100000,10000,20000,shared,\(Fixtures.unitB)\n") == [])
            let a = try await Self.report(store)[Fixtures.unitA]
            #expect(a?.sharedBy?.creditCode == Fixtures.unitB && a?.declaration == .sharedBy)
            // B declares for A: it cannot declare 无食堂; nor may E name C, which declares 无食堂.
            let header = "credit_code,year,canteen_food_total,reserved_amount,union_welfare_budget,has_canteen,canteen_mode,declared_by\n"
            func refusedWithCanteen(_ rows: String) async -> [String] {
                do {
                    _ = try await Operations(store: store).importFile(.declarations, bytes: Array((header + rows).utf8),
                                                                      by: .commandLine(user: "tests"))
                    return []
                } catch ImportError.rejected(let problems) { return problems.map { "\($0.line) \($0.field)" } } catch { return ["\(error)"] }
            }
            #expect(await refusedWithCanteen("\(Fixtures.unitB),2024,0,0,0,false,,\n") == ["2 has_canteen"])
            let noCanteen = await refusedWithCanteen("\(Fixtures.unitC),2024,0,0,0,false,,\n\(Self.unitE),2024,0,0,0,,shared,\(Fixtures.unitC)\n")
            #expect(noCanteen == ["2 has_canteen", "3 declared_by"], "\(noCanteen)")   // each row names the other
        }
    }

    @Test func aReturnThatWouldMakeAChainCountIsRefused() async throws {
        try await TestDatabase.withStore { store in
            // E shared through A (version 1), then its own canteen (version 2), through which B declares.
            _ = try await Self.load(store, declarations: "\(Fixtures.unitA),2024,100000,10000,20000,own,\n"
                                        + "\(Self.unitE),2024,0,0,0,shared,\(Fixtures.unitA)\n")
            let later = Self.header + Self.inTime("\(Self.unitE),2024,30000,3000,0,own,\n\(Fixtures.unitB),2024,0,0,0,shared,\(Self.unitE)\n")
            _ = try await Operations(store: store).importFile(.declarations, bytes: Array(later.utf8), by: .commandLine(user: "tests"))
            // Returning E's version 2 would make version 1 (shared) count while B declares through E.
            await #expect {
                _ = try await Operations(store: store).returnDeclaration(of: Self.unitE, year: 2024, reason: "核实",
                                                                         by: .commandLine(user: "inspector"))
            } throws: { error in
                guard case StoreError.conflict(let detail) = error else { return false }
                return detail.contains("would make version 1 count again") && detail.contains(Fixtures.unitB)
            }
        }
    }

    @Test func aMemberWhoseDeclarerHasNoCanteenIsEvaluatedOnItsOwn() async throws {
        try await TestDatabase.withStore { store in
            // C has no canteen (its own flag) and no declaration: E's canteen is E's own.
            _ = try await Self.load(store, declarations: "\(Self.unitE),2024,30000,3000,0,shared,\(Fixtures.unitC)\n")
            let e = try await Self.report(store, unit: Self.unitE)[Self.unitE]
            #expect(e?.sharedBy == nil && e?.declaration == .declared)
            #expect(e?.rules.first { $0.rule == "canteen-reserve-10" }?.status != .notApplicable)
        }
    }

    @Test func theAPIDeclaresASharedCanteenAndRefusesAChain() async throws {
        try await APIWorld.with { world, client, _ in
            let admin = world.tokens["admin"]
            let body = #"{"canteenFoodTotal": "0", "reservedAmount": "0", "unionWelfareBudget": "0", "canteenMode": "shared", "declaredBy": "\#(Fixtures.unitA)"}"#
            let put = try await client.call(.put, "/api/v1/units/\(Fixtures.unitC)/declarations/2024", token: admin, body: body)
            #expect(put.status == 201, "\(put.text)")
            #expect(put.object["canteenMode"] as? String == "shared" && put.object["declaredBy"] as? String == Fixtures.unitA)
            // A, declaring for C, may not declare as shared through B.
            let chain = #"{"canteenFoodTotal": "1.00", "reservedAmount": "0", "unionWelfareBudget": "0", "canteenMode": "shared", "declaredBy": "\#(Fixtures.unitB)"}"#
            let refused = try await client.call(.put, "/api/v1/units/\(Fixtures.unitA)/declarations/2024", token: admin, body: chain)
            #expect(refused.status == 422)
            #expect(((refused.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } == ["canteenMode"])
            let badMode = try await client.call(.put, "/api/v1/units/\(Fixtures.unitB)/declarations/2024", token: admin,
                                                body: #"{"canteenFoodTotal": "0", "reservedAmount": "0", "unionWelfareBudget": "0", "canteenMode": "rented"}"#)
            #expect(badMode.status == 422)
        }
    }
}
