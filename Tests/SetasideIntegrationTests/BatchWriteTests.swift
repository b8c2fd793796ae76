import PostgresNIO
import SetasideCore
@testable import SetasideOperations
@testable import SetasideStore
import Testing

/// Orders stored together in one statement get the answers they would get alone.
@Suite struct BatchWriteTests {
    /// Purchases from rows of the purchases format (no header).
    static func records(_ rows: String) throws -> [PurchaseRecord] {
        let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"
        return try ImportParser.purchases(Array((header + rows).utf8)).records
    }

    static func record(_ row: String) throws -> PurchaseRecord {
        try #require(try records(row + "\n").first)
    }

    @Test func eachOrderOfABatchGetsItsOwnAnswer() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let a = Fixtures.unitA, b = Fixtures.unitB
            let writes = [
                PurchaseWrite(record: try Self.record("\(a),N1,2024-07-01,platform832,canteenFood,140603,12.34,completed,,"), actor: "clerk-a"),
                PurchaseWrite(record: try Self.record("\(b),N2,2024-07-02,localPlatform,unionFestival,530428,56,completed,中秋,"), actor: "clerk-b"),
                // P1 again, as stored: a repeat.
                PurchaseWrite(record: try Self.record("\(a),P1,2024-02-01,platform832,canteenFood,140603,8000.00,completed,,"), actor: "clerk-a"),
                // P2 with another amount: a conflict.
                PurchaseWrite(record: try Self.record("\(a),P2,2024-03-01,platform832,canteenFood,140603001201,3001,completed,,"), actor: "clerk-a"),
                // One new order sent twice in the same batch: stored once.
                PurchaseWrite(record: try Self.record("\(b),N3,2024-07-03,other,canteenFood,530428,1.00,completed,,"), actor: "clerk-b"),
                PurchaseWrite(record: try Self.record("\(b),N3,2024-07-03,other,canteenFood,530428,1.00,completed,,"), actor: "clerk-b"),
            ]
            let results = try await store.createPurchases(writes)
            #expect(results.count == writes.count)
            let n1 = try results[0].get()
            #expect(n1.created && n1.purchase.orderNo == "N1" && n1.purchase.amount == Money(fen: 1234) && n1.purchase.counted)
            let n2 = try results[1].get()
            #expect(n2.created && n2.purchase.festival == "midAutumn" && n2.purchase.creditCode.text == b)
            let p1 = try results[2].get()
            #expect(!p1.created && p1.purchase.amount == Money(fen: 800_000))
            #expect(throws: StoreError.self) { try results[3].get() }
            let first = try results[4].get(), second = try results[5].get()
            #expect(first.created && !second.created && first.purchase.id == second.purchase.id)
            let stored = try await ImportTests.count(store, "purchases")
            #expect(stored == 19)

            // One audit entry per stored order, by the actor that sent it, naming its digest.
            let rows = try await store.client.query("""
                SELECT a.actor, a.entity_key, (a.after->'digests'->>0) = purchase_digest(p)
                FROM audit_log a JOIN purchases p ON p.id::text = a.entity_key
                WHERE a.action = 'purchase.create' ORDER BY a.id
                """)
            var entries: [(String, String, Bool)] = []
            for try await entry in rows.decode((String, String, Bool).self) { entries.append(entry) }
            #expect(entries.map(\.0) == ["clerk-a", "clerk-b", "clerk-b"])
            #expect(entries.map(\.1) == [n1, n2, first].map { String($0.purchase.id) })
            #expect(entries.allSatisfy { $0.2 })
        }
    }

    @Test func twoCopiesOfOneStoredOrderInOneBatchEachGetTheirOwnAnswer() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let a = Fixtures.unitA
            // P1 is stored at 8000.00: one clerk retries it as it is, another sends 8100.00.
            let results = try await store.createPurchases([
                PurchaseWrite(record: try Self.record("\(a),P1,2024-02-01,platform832,canteenFood,140603,8000.00,completed,,"), actor: "clerk-a"),
                PurchaseWrite(record: try Self.record("\(a),P1,2024-02-01,platform832,canteenFood,140603,8100.00,completed,,"), actor: "clerk-b"),
                PurchaseWrite(record: try Self.record("\(a),P1,2024-02-01,platform832,canteenFood,140603,8000.00,completed,,"), actor: "clerk-c"),
            ])
            let retry = try results[0].get()
            #expect(!retry.created && retry.purchase.amount == Money(fen: 800_000))
            #expect(throws: StoreError.self) { try results[1].get() }
            #expect(try results[2].get().purchase.id == retry.purchase.id)
        }
    }

    @Test func oneWrongOrderFailsOnlyItself() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let batcher = PurchaseBatcher(store: store, maxBatch: 64, maxInFlight: 1)
            let a = Fixtures.unitA
            // 140699 is a well-formed county code that is not stored: the statement fails
            // on its foreign key, and the other orders must still be stored.
            let results = await withTaskGroup(of: (Int, Result<PurchaseBatcher.Outcome, Error>).self) { group in
                for i in 0..<40 {
                    group.addTask {
                        let origin = i == 17 ? "140699" : "140603"
                        do {
                            let record = try Self.record("\(a),B\(i),2024-07-01,platform832,canteenFood,\(origin),\(i + 1),completed,,")
                            return (i, .success(try await batcher.create(record, actor: "clerk-a")))
                        } catch {
                            return (i, .failure(error))
                        }
                    }
                }
                var all: [Int: Result<PurchaseBatcher.Outcome, Error>] = [:]
                for await (i, result) in group { all[i] = result }
                return all
            }
            for i in 0..<40 {
                let result = try #require(results[i])
                if i == 17 {
                    guard case .failure(ImportError.rejected(let problems)) = result else {
                        Issue.record("order B17 was not refused for its origin: \(result)")
                        continue
                    }
                    #expect(problems.map(\.field) == ["origin_code"])   // the file's column; the API names it originCode
                } else {
                    let outcome = try result.get()
                    #expect(outcome.created && outcome.purchase.orderNo == "B\(i)" && outcome.purchase.amount == Money(fen: Int64(i + 1) * 100))
                }
            }
            let stored = try await ImportTests.count(store, "purchases")
            #expect(stored == 16 + 39)
        }
    }
}
