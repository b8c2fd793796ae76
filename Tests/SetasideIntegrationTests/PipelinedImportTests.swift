import PostgresNIO
import SetasideCore
@testable import SetasideOperations
@testable import SetasideStore
import Testing

/// A purchases file is read a batch at a time while the server stages the batch before:
/// a problem or a repeated key in a later batch still refuses the whole file, and a good
/// file is stored whole.
@Suite struct PipelinedImportTests {
    static let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"

    static func rows(_ count: Int, prefix: String = "PIPE-") -> String {
        (1...count).map { "\(Fixtures.unitA),\(prefix)\($0),2024-07-01,platform832,canteenFood,140603,\($0),completed,,\n" }
            .joined()
    }

    /// Imports `file` two rows a batch.
    static func importInBatches(_ store: Store, _ file: String) async throws -> ImportSummary {
        var importer = Importer(store: store, actor: "cli:tests")
        importer.batchSize = 2
        return try await importer.importPurchases(reading: { () throws(ImportError) in
            try ImportParser.purchaseReader(Array((header + file).utf8))
        })
    }

    static func stored(_ store: Store) async throws -> Int {
        try await store.client.query("SELECT count(*)::bigint FROM purchases WHERE order_no LIKE 'PIPE-%'")
            .collect().map { try $0.decode(Int.self) }.first ?? -1
    }

    @Test func aBadRowInALaterBatchRefusesTheWholeFile() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            // Line 8 (the seventh row, in the fourth batch) has an amount that is not one.
            let file = Self.rows(6) + "\(Fixtures.unitA),PIPE-7,2024-07-01,platform832,canteenFood,140603,seven,completed,,\n"
                + Self.rows(3, prefix: "PIPE-X")
            await #expect {
                _ = try await Self.importInBatches(store, file)
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["8 amount"]
            }
            #expect(try await Self.stored(store) == 0)
        }
    }

    @Test func aKeyRepeatedInAnotherBatchIsNamed() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let file = Self.rows(5) + "\(Fixtures.unitA),PIPE-2,2024-07-01,platform832,canteenFood,140603,2,completed,,\n"
            await #expect {
                _ = try await Self.importInBatches(store, file)
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.count == 1 && problems[0].line == 7 && problems[0].reason.contains("repeats the key of line 3")
            }
            #expect(try await Self.stored(store) == 0)
        }
    }

    @Test func aGoodFileInManyBatchesIsStoredWholeAndOnce() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let first = try await Self.importInBatches(store, Self.rows(9))
            #expect(first.rows == 9 && first.inserted == 9)
            #expect(try await Self.stored(store) == 9)
            let again = try await Self.importInBatches(store, Self.rows(9))
            #expect(again.rows == 9 && again.inserted == 0 && again.unchanged == 9)
            let amounts = try await store.client.query("SELECT sum(amount)::bigint FROM purchases WHERE order_no LIKE 'PIPE-%'")
                .collect().map { try $0.decode(Int64.self) }
            #expect(amounts == [4_500])   // 1 + … + 9 yuan, in fen
        }
    }

    @Test func theTrailHasTheDigestOfEachImportedRowAsStored() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store)
            let a = Fixtures.unitA
            let file = """
                \(a),PIPE-订单-1,2024-09-10,localPlatform,unionFestival,140603,20.05,completed,中秋,
                \(a),"PIPE-2,x",1999-12-31,platform832,canteenFood,140603001201,0.01,refunded,,
                \(a),PIPE-3,2024-01-02,platform832,canteenFood,140603,100,completed,,
                \(a),PIPE-3R,2025-01-05,platform832,canteenFood,140603,-40,completed,,PIPE-3

                """
            let summary = try await Self.importInBatches(store, file)
            #expect(summary.inserted == 4)
            // Each order's digest in the trail is what purchase_digest gives for the stored row.
            let pairs = try await store.client.query("""
                SELECT p.order_no, d.digest = purchase_digest(p)
                FROM audit_log a,
                     jsonb_array_elements_text(a.after->'ids') WITH ORDINALITY AS i(id, n)
                     JOIN jsonb_array_elements_text(a.after->'digests') WITH ORDINALITY AS d(digest, n) USING (n)
                JOIN purchases p ON p.id = i.id::bigint
                WHERE a.action = 'import.purchases' AND p.order_no LIKE 'PIPE-%'
                ORDER BY p.order_no
                """).collect().map { try $0.decode((String, Bool).self) }
            #expect(pairs.map(\.0) == ["PIPE-2,x", "PIPE-3", "PIPE-3R", "PIPE-订单-1"])
            #expect(pairs.allSatisfy { $0.1 })
            _ = try await AuditTrail(store: store).seal()
            let verification = try await AuditTrail(store: store).verify()
            #expect(verification.findings.isEmpty)
        }
    }
}
