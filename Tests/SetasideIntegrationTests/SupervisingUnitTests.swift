import Foundation
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// Units under their supervising unit (主管预算单位, issue 11): the units file names it,
/// a cycle is refused, reports roll up by it, and an inspector may be bound to it.
@Suite struct SupervisingUnitTests {
    /// S: 朔州市, a supervising unit above A and C; B (in Yunnan) is under A.
    static let unitS = Fixtures.code("11140600MB0000006")
    static let header = "credit_code,name,region_code,level,has_canteen,five_entries,assisting,parent_credit_code\n"
    static var tree: String {
        header + "\(unitS),朔州市示例主管局,140600,city,false,false,false,\n"
            + "\(Fixtures.unitA),示例单位甲,140603,district,true,true,true,\(unitS)\n"
            + "\(Fixtures.unitB),示例单位乙,530402,city,true,false,false,\(Fixtures.unitA)\n"
            + "\(Fixtures.unitC),示例单位丙,140602,district,false,false,false,\(unitS)\n"
    }

    static func importUnits(_ store: Store, _ csv: String) async throws -> ImportSummary {
        try await Operations(store: store).importFile(.units, bytes: Array(csv.utf8), by: .commandLine(user: "tests"))
    }

    static func problems(_ store: Store, _ csv: String) async -> [String] {
        do {
            _ = try await importUnits(store, csv)
            return []
        } catch ImportError.rejected(let problems) {
            return problems.map { "\($0.line) \($0.field): \($0.reason)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test func aUnitsFileNamesSupervisingUnitsAndACycleIsRefusedNamingItsUnits() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)   // A, B, C stored without a supervising unit
            // The file gives S and the parents of A, B, C: S is new, the others take theirs.
            let summary = try await Self.importUnits(store, Self.tree)
            #expect(summary.inserted == 4)
            #expect(try await store.supervisingChain(Fixtures.unitB) == [Fixtures.unitB, Fixtures.unitA, Self.unitS])
            #expect(try await Self.importUnits(store, Self.tree).inserted == 0)   // the same file again
            // S under B would close a cycle S → … → S: refused, naming the units in order.
            let cycle = await Self.problems(store, Self.header + "\(Self.unitS),朔州市示例主管局,140600,city,false,false,false,\(Fixtures.unitB)\n")
            #expect(cycle.count == 1)
            #expect(cycle.first?.hasPrefix("2 parent_credit_code: the supervising units form a cycle: \(Self.unitS) → \(Fixtures.unitB) → \(Fixtures.unitA) → \(Self.unitS)") == true)
            #expect(try await store.supervisingChain(Self.unitS) == [Self.unitS])   // nothing stored
            // A stored supervising unit is not changed by a file; an unknown one is refused;
            // a unit cannot supervise itself.
            let moved = await Self.problems(store, Self.header + "\(Fixtures.unitC),示例单位丙,140602,district,false,false,false,\(Fixtures.unitA)\n")
            #expect(moved.first?.contains("is stored under the supervising unit \(Self.unitS)") == true)
            let stranger = Fixtures.code("12140603MB0000009")
            let newcomer = Fixtures.code("12140603MB0000010")
            let unknown = await Self.problems(store, Self.header + "\(newcomer),某新单位,140603,district,false,false,false,\(stranger)\n")
            #expect(unknown == ["2 parent_credit_code: unit \(stranger) is not stored; import it with the units (or in this file) first"])
            let itself = await Self.problems(store, Self.header + "\(stranger),某单位,140603,district,false,false,false,\(stranger)\n")
            #expect(itself.first?.hasPrefix("2 parent_credit_code: names the unit itself") == true)
            // Two units of one file naming each other.
            let d = Fixtures.code("12140603MB0000007"), e = Fixtures.code("12140603MB0000008")
            let pair = await Self.problems(store, Self.header + "\(d),丁,140603,district,false,false,false,\(e)\n"
                                           + "\(e),戊,140603,district,false,false,false,\(d)\n")
            #expect(pair.map { String($0.prefix(2)) } == ["2 ", "3 "] && pair.allSatisfy { $0.contains("form a cycle") })
        }
    }

    @Test func theReportRollsUpBySupervisingUnitAndScopesToItsTree() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            _ = try await Self.importUnits(store, Self.tree)
            let asOf = CalendarDate(year: 2025, month: 3, day: 1)
            let tree = try await store.complianceReport(ReportScope(year: 2024, supervising: Fixtures.unitA, asOf: asOf))
            #expect(tree.units.map(\.creditCode).sorted() == [Fixtures.unitA, Fixtures.unitB].sorted())
            let all = try await store.complianceReport(ReportScope(year: 2024, asOf: asOf))
            #expect(all.units.first { $0.creditCode == Fixtures.unitB }?.parent == Fixtures.unitA)
            let rollups = ComplianceRollup.bySupervisingUnit(all)
            #expect(rollups.map(\.key) == [Fixtures.unitA, Self.unitS].sorted())
            let s = rollups.first { $0.key == Self.unitS }
            // S and everything below it: S, A, B, C; A and B are short, S owes nothing (no canteen).
            #expect(s?.units == 4 && s?.short == 2 && s?.declared == 2)
            let canteen = s?.rules.first { $0.rule == "canteen-reserve-10" }
            // Applicable to A and B (C and S have no canteen): bases 101 000 + 50 000.
            #expect(canteen?.applicable == 2 && canteen?.met == 1 && canteen?.base == .yuan(151_000))
            #expect(all.json().contains(#""supervising": ["#) && all.json().contains(#""parent": "\#(Self.unitS)""#))
            #expect(all.table().contains("By supervising unit"))
            // A report of Yunnan holds B alone; its supervisors (A, and S above it) are
            // outside it, and still roll it up, by name.
            let yunnan = try await store.complianceReport(ReportScope(year: 2024, region: "530000", asOf: asOf))
            let outside = ComplianceRollup.bySupervisingUnit(yunnan)
            #expect(outside.map(\.key) == [Fixtures.unitA, Self.unitS].sorted() && outside.allSatisfy { $0.units == 1 })
            #expect(outside.first { $0.key == Fixtures.unitA }?.name == "示例单位甲")
        }
    }

    @Test func anInspectorBoundToASupervisingUnitReadsItsTreeOnly() async throws {
        try await APIWorld.with { world, client, store in
            _ = try await Self.importUnits(store, Self.tree)
            _ = try await store.addAccount(login: "inspectorA", role: .inspector, units: [], region: nil,
                                           supervising: Fixtures.unitA, passwordHash: "$2b$04$abcdefghijklmnopqrstuu",
                                           actor: "cli:tests")
            let token = try await store.issueToken(login: "inspectorA", actor: "cli:tests")
            // A and B (below A) are readable; C and S are not.
            #expect(try await client.call(.get, "/api/v1/units/\(Fixtures.unitB)", token: token).status == 200)
            #expect(try await client.call(.get, "/api/v1/units/\(Fixtures.unitC)", token: token).status == 403)
            #expect(try await client.call(.get, "/api/v1/units/\(Self.unitS)", token: token).status == 403)
            let listed = try await client.call(.get, "/api/v1/units", token: token)
            let codes = ((listed.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["creditCode"] as? String }
            #expect(codes == [Fixtures.unitA, Fixtures.unitB].sorted())
            // Its tree's report, with the roll-up; not S's, nor a region's.
            let report = try await client.call(.get, "/api/v1/supervising-units/\(Fixtures.unitA)/compliance?year=2024", token: token)
            #expect(report.status == 200, "\(report.text)")
            #expect(((report.object["units"] as? [[String: Any]]) ?? []).count == 2)
            #expect(try await client.call(.get, "/api/v1/supervising-units/\(Self.unitS)/compliance?year=2024", token: token).status == 403)
            #expect(try await client.call(.get, "/api/v1/regions/140000/compliance?year=2024", token: token).status == 403)
            // It records no findings: those stay with the inspectors of a region.
            let q1 = try #require(world.ids["Q1"])
            #expect(try await client.call(.post, "/api/v1/purchases/\(q1)/findings", token: token,
                                          body: #"{"verdict": "reject", "reason": "x"}"#).status == 403)
            // It may return a declaration of its tree.
            let returned = try await client.call(.post, "/api/v1/units/\(Fixtures.unitB)/declarations/2024/return", token: token,
                                                 body: #"{"reason": "请核实"}"#)
            #expect(returned.status == 201, "\(returned.text)")
            // An inspector of Shanxi reads S's tree within Shanxi: B (Yunnan) is left out.
            let shanxi = try await client.call(.get, "/api/v1/supervising-units/\(Self.unitS)/compliance?year=2024",
                                               token: world.tokens["inspectorShanxi"])
            let units = ((shanxi.object["units"] as? [[String: Any]]) ?? []).compactMap { $0["creditCode"] as? String }
            #expect(units.sorted() == [Fixtures.unitA, Fixtures.unitC, Self.unitS].sorted())
            #expect(try await client.call(.get, "/api/v1/supervising-units/\(Self.unitS)/compliance?year=2024",
                                          token: world.tokens["clerkA"]).status == 403)
        }
    }

    @Test func anInspectorAccountTakesARegionOrASupervisingUnit() async throws {
        #expect(throws: AccountError.inspectorWithoutRegion) {
            try Account.validate(login: "x", role: .inspector, units: [], region: nil, supervising: nil)
        }
        #expect(throws: AccountError.bindingNotForRole(.clerk, .supervising)) {
            try Account.validate(login: "x", role: .clerk, units: ["A"], region: nil, supervising: "S")
        }
        try Account.validate(login: "x", role: .inspector, units: [], region: nil, supervising: "S")
    }
}
