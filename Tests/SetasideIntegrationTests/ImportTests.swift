import PostgresNIO
import SetasideCore
@testable import SetasideOperations
@testable import SetasideStore
import Testing

@Suite struct ImportTests {
    static func load(_ store: Store, _ files: [(ImportKind, String)] = Fixtures.all) async throws -> [ImportSummary] {
        var summaries: [ImportSummary] = []
        for (kind, csv) in files {
            summaries.append(try await Operations(store: store).importFile(kind, bytes: Array(csv.utf8), by: .commandLine(user: "tests")))
        }
        return summaries
    }

    static func count(_ store: Store, _ table: String) async throws -> Int {
        let rows = try await store.client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::bigint FROM \(table)"))
        for try await count in rows.decode(Int.self) { return count }
        return -1
    }

    @Test func everyFormatImportsAndASecondImportChangesNothing() async throws {
        try await TestDatabase.withStore { store in
            let first = try await Self.load(store)
            #expect(first.map(\.inserted) == [11, 3, 2, 1, 1, 16])
            #expect(first.allSatisfy { $0.warnings.isEmpty })
            let second = try await Self.load(store)
            #expect(second.map(\.inserted) == [0, 0, 0, 0, 0, 0])
            #expect(second.map(\.unchanged) == first.map(\.rows))
            let value2 = try await Self.count(store, "purchases")
            #expect(value2 == 16)
            // 1,234.50-style amounts arrive as exact fen.
            let totals = try await store.client.query("SELECT canteen_food_total FROM declarations WHERE credit_code = \(Fixtures.unitB)")
                .collect().map { try $0.decode(Int64.self) }
            #expect(totals == [5_000_000])
            // A reversal counts on its original's date.
            let dates = try await store.client.query(
                "SELECT order_date::text, ledger_date::text FROM purchases WHERE credit_code = \(Fixtures.unitA) AND order_no = 'P8'")
                .collect().map { try $0.decode((String, String).self) }
            #expect(dates.count == 1)
            #expect(dates.first?.0 == "2024-06-01" && dates.first?.1 == "2024-02-01")
        }
    }

    @Test func aFileWithOneBadRowStoresNothingAndNamesEveryBadRow() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.load(store, Array(Fixtures.all.prefix(2)))
            let file = """
                credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
                \(Fixtures.unitA),N1,2024-02-01,platform832,canteenFood,140603,10.00,completed,,
                \(Fixtures.unitA),N2,2024-02-01,platform832,canteenFood,999999,10.00,completed,,
                \(Fixtures.code("12999999MB0000009")),N3,2024-02-01,platform832,canteenFood,140603,10.00,completed,,
                \(Fixtures.unitA),N4,2024-02-01,platform832,canteenFood,140603,-10.00,completed,,N9

                """
            await #expect {
                try await Operations(store: store).importFile(.purchases, bytes: Array(file.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["3 origin_code", "4 credit_code", "5 reversal_of"]
            }
            let value3 = try await Self.count(store, "purchases")
            #expect(value3 == 0)
        }
    }

    @Test func aKeyReusedWithOtherContentIsRefused() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.load(store)
            let changed = Fixtures.purchases.replacingOccurrences(of: "P3,2024-08-01,directed,canteenFood,140603001201,5000",
                                                                  with: "P3,2024-08-01,directed,canteenFood,140603001201,5001")
            await #expect {
                try await Operations(store: store).importFile(.purchases, bytes: Array(changed.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.count == 1 && problems[0].line == 4 && problems[0].reason.contains("different content")
            }
            let renamed = Fixtures.units.replacingOccurrences(of: "示例单位乙", with: "改名单位")
            await #expect(throws: ImportError.self) {
                try await Operations(store: store).importFile(.units, bytes: Array(renamed.utf8), by: .commandLine(user: "tests"))
            }
            let value4 = try await Self.count(store, "purchases")
            #expect(value4 == 16)
        }
    }

    @Test func twoImportsAtOnceCannotBothStoreOneKey() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.load(store, Array(Fixtures.all.prefix(2)))
            func file(_ amount: String) -> [UInt8] {
                var text = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"
                for n in 0..<5000 {
                    text += "\(Fixtures.unitA),C\(n),2024-02-01,platform832,canteenFood,140603,\(amount),completed,,\n"
                }
                return Array(text.utf8)
            }
            let (one, two) = (file("10.00"), file("20.00"))
            /// "stored", or the problem of the first line when the import was refused.
            @Sendable func outcome(_ bytes: [UInt8]) async -> String {
                do {
                    _ = try await Operations(store: store).importFile(.purchases, bytes: bytes, by: .commandLine(user: "tests"))
                    return "stored"
                } catch ImportError.rejected(let problems) {
                    return problems.first?.reason.contains("different content") == true ? "conflict" : "other problem"
                } catch {
                    return "failed: \(error)"
                }
            }
            async let first = outcome(one)
            async let second = outcome(two)
            // The second waits for the first and then names the conflict row by row,
            // instead of failing on the primary key.
            let outcomes = await [first, second].sorted()
            #expect(outcomes == ["conflict", "stored"])
            let stored = try await Self.count(store, "purchases")
            #expect(stored == 5000)
        }
    }

    @Test func reversalsCannotTakeBackMoreThanTheOrder() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.load(store)
            let file = """
                credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of
                \(Fixtures.unitA),R1,2024-07-01,platform832,canteenFood,140603,-7000.00,completed,,P1
                \(Fixtures.unitA),R2,2024-07-01,platform832,canteenFood,140603,-600.00,completed,,P1
                \(Fixtures.unitA),R3,2024-07-01,platform832,canteenFood,140603,-1.00,completed,,P5
                \(Fixtures.unitA),R4,2024-07-01,platform832,canteenFood,140603,-1.00,completed,,P8
                \(Fixtures.unitA),R5,2024-07-01,other,canteenFood,140603,-1.00,completed,,P4

                """
            await #expect {
                try await Operations(store: store).importFile(.purchases, bytes: Array(file.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                // P1 is 8000 with 500 already reversed: 7000 + 600 more is too much (both rows named).
                return problems.map { "\($0.line) \($0.field)" } == ["2 amount", "3 amount", "4 reversal_of", "5 reversal_of", "6 "]
            }
        }
    }

    @Test func regionsNeedAKnownLargerParentAndUnitsAKnownRegion() async throws {
        try await TestDatabase.withStore { store in
            // Line 2's parent is unknown; line 4's parent (in the file) is a county like
            // itself; line 5's parent (in the file) is a county, below the province.
            let regions = """
                code,name,level,parent_code,poverty_relieved
                140603,平鲁区,county,140600,true
                140603001,示例乡,township,140603,false
                140602,朔城区,county,140603,false
                150000,内蒙古自治区,province,140603,false

                """
            await #expect {
                try await Operations(store: store).importFile(.regions, bytes: Array(regions.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["2 parent_code", "4 parent_code", "5 parent_code"]
                    && problems[0].reason.contains("neither stored nor in this file")
                    && problems[1].reason == "the parent 140603 is a county; a county must sit under a larger region"
                    && problems[2].reason == "the parent 140603 is a county; a province must sit under a larger region"
            }
            let units = """
                credit_code,name,region_code,level,has_canteen,five_entries,assisting
                \(Fixtures.unitA),示例,140603,district,true,false,false

                """
            await #expect {
                try await Operations(store: store).importFile(.units, bytes: Array(units.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["2 region_code"]
            }
            let regionCount = try await Self.count(store, "regions")
            #expect(regionCount == 1)   // the built-in root only
            // A stored parent is held to the same rule: a township under a stored township.
            _ = try await Self.load(store, [(.regions, Fixtures.regions)])
            let township = """
                code,name,level,parent_code,poverty_relieved
                140603002,示例镇,township,140603001,false

                """
            await #expect {
                try await Operations(store: store).importFile(.regions, bytes: Array(township.utf8), by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field) \($0.reason)" }
                    == ["2 parent_code the parent 140603001 is a township; a township must sit under a larger region"]
            }
            #expect(try await Self.count(store, "regions") == 12)
        }
    }

    @Test func gb18030FilesAreReadAndReported() async throws {
        try await TestDatabase.withStore { store in
            // 山西省 in GB18030, in a regions file written by a spreadsheet on a Chinese Windows.
            var bytes = Array("code,name,level,parent_code,poverty_relieved\r\n140000,".utf8)
            bytes += [0xC9, 0xBD, 0xCE, 0xF7, 0xCA, 0xA1]
            bytes += Array(",province,,false\r\n".utf8)
            let summary = try await Operations(store: store).importFile(.regions, bytes: bytes, by: .commandLine(user: "tests"))
            #expect(summary.encoding == .gb18030)
            #expect(summary.inserted == 1)
            let names = try await store.client.query("SELECT name FROM regions WHERE code = '140000'")
                .collect().map { try $0.decode(String.self) }
            #expect(names == ["山西省"])
        }
    }
}
