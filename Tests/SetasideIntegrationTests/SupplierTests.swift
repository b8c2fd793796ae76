import PostgresNIO
import SetasideCore
import SetasideOperations
@testable import SetasideStore
import Testing

/// Who sold it and what (issue 11): optional supplier name, supplier credit code and
/// product on every purchase, from a file and from the API, stored, shown, part of an
/// order's content, and covered by the trail's digests.
@Suite struct SupplierTests {
    static let supplier = Fixtures.code("91140603MA0000005")
    /// The same code with a wrong check character: accepted with a warning, as a unit's.
    static var miswritten: String {
        let last = supplier.last!
        return String(supplier.dropLast()) + (last == "0" ? "1" : "0")
    }

    @Test func aFileWithSupplierColumnsIsStoredAndAnOldFileStillWorks() async throws {
        try await TestDatabase.withStore { store in
            let summaries = try await ImportTests.load(store)   // the fixtures' file has none of the new columns
            #expect(summaries.last?.inserted == 16)
            let file = """
                credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of,supplier_name,supplier_credit_code,product
                \(Fixtures.unitA),S1,2024-07-01,platform832,canteenFood,140603,100,completed,,,平鲁区示例合作社,\(Self.supplier),小米
                \(Fixtures.unitA),S2,2024-07-02,platform832,canteenFood,140603,200,completed,,,,\(Self.miswritten),
                \(Fixtures.unitA),S3,2024-07-03,platform832,canteenFood,140603,-50,completed,,S1,平鲁区示例合作社,\(Self.supplier),小米

                """
            let summary = try await Operations(store: store).importFile(.purchases, bytes: Array(file.utf8),
                                                                          by: .commandLine(user: "tests"))
            #expect(summary.inserted == 3)
            #expect(summary.warnings.map { "\($0.line) \($0.field)" } == ["3 supplier_credit_code"])
            let rows = try await store.client.query("""
                SELECT order_no, supplier_name, supplier_credit_code, product FROM purchases
                WHERE order_no LIKE 'S_' ORDER BY order_no
                """).collect().map { try $0.decode((String, String?, String?, String?).self) }
            #expect(rows.map(\.1) == ["平鲁区示例合作社", nil, "平鲁区示例合作社"])
            #expect(rows.map(\.2) == [Self.supplier, Self.miswritten, Self.supplier])
            #expect(rows.map(\.3) == ["小米", nil, "小米"])
            // The trail's digests cover the new columns: the chain verifies as stored...
            _ = try await AuditTrail(store: store).seal()
            #expect(try await AuditTrail(store: store).verify().findings.isEmpty)
            // ...and the same order with another product is other content.
            let changed = file.replacingOccurrences(of: ",小米\n", with: ",大米\n")
            await #expect {
                _ = try await Operations(store: store).importFile(.purchases, bytes: Array(changed.utf8),
                                                                  by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["2 order_no", "4 order_no"]
            }
        }
    }

    @Test func aBadSupplierValueRefusesTheFileNamingLineAndColumn() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, [(.regions, Fixtures.regions), (.units, Fixtures.units)])
            let file = """
                credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of,supplier_credit_code
                \(Fixtures.unitA),S1,2024-07-01,platform832,canteenFood,140603,100,completed,,,91140603MA00000
                """
            await #expect {
                _ = try await Operations(store: store).importFile(.purchases, bytes: Array(file.utf8),
                                                                  by: .commandLine(user: "tests"))
            } throws: { error in
                guard case ImportError.rejected(let problems) = error else { return false }
                return problems.map { "\($0.line) \($0.field)" } == ["2 supplier_credit_code"]
            }
        }
    }

    @Test func theAPIStoresAndShowsTheSupplier() async throws {
        try await APIWorld.with { world, client, _ in
            let path = "/api/v1/units/\(Fixtures.unitA)/purchases"
            let body = """
                {"orderNo": "S9", "orderDate": "2024-07-01", "channel": "platform832", "category": "canteenFood",
                 "originCode": "140603", "amount": "100.00", "supplierName": "示例合作社",
                 "supplierCreditCode": "\(Self.supplier)", "product": "小米"}
                """
            let created = try await client.call(.post, path, token: world.tokens["clerkA"], body: body)
            #expect(created.status == 201)
            #expect(created.object["supplierName"] as? String == "示例合作社")
            #expect(created.object["supplierCreditCode"] as? String == Self.supplier)
            #expect(created.object["product"] as? String == "小米")
            let id = try #require(created.object["id"] as? Int)
            let shown = try await client.call(.get, "/api/v1/purchases/\(id)", token: world.tokens["clerkA"])
            #expect(shown.object["product"] as? String == "小米")
            // The same order with another product: a conflict, not a repeat.
            let other = try await client.call(.post, path, token: world.tokens["clerkA"],
                                              body: body.replacingOccurrences(of: "小米", with: "大米"))
            #expect(other.status == 409)
            let bad = try await client.call(.post, path, token: world.tokens["clerkA"],
                                            body: body.replacingOccurrences(of: Self.supplier, with: "123"))
            #expect(bad.status == 422)
            #expect(((bad.object["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } == ["supplierCreditCode"])
        }
    }
}
