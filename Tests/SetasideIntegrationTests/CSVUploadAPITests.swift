import Foundation
import HTTPTypes
import HummingbirdTesting
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// `POST /api/v1/units/{creditCode}/purchases/import`: a clerk uploads a purchases file
/// for the unit of the URL, and only for it.
@Suite struct CSVUploadAPITests {
    static let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"

    static func upload(_ client: some TestClientProtocol, unit: String, token: String?, _ csv: String) async throws -> APIResponse {
        try await client.call(.post, "/api/v1/units/\(unit)/purchases/import", token: token, body: csv,
                              headers: ["Content-Type": "text/csv"])
    }

    @Test func anUploadWithAnotherUnitsRowsIsRefusedWholeAndNamesThem() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["clerkA"]
            let csv = Self.header
                + "\(Fixtures.unitA),U1,2024-07-01,platform832,canteenFood,140603,10.00,completed,,\n"
                + "\(Fixtures.unitB),U2,2024-07-01,platform832,canteenFood,530428,20.00,completed,,\n"
                + "\(Fixtures.unitA),U3,2024-07-01,platform832,canteenFood,140603,30.00,completed,,\n"
                + "\(Fixtures.unitC),U4,2024-07-01,platform832,canteenFood,140602,40.00,completed,,\n"
            let refused = try await Self.upload(client, unit: Fixtures.unitA, token: token, csv)
            #expect(refused.status == 422, "\(refused.text)")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.object["type"] as? String == "urn:setaside:problem:validation")
            let errors = (refused.object["errors"] as? [[String: Any]]) ?? []
            #expect(errors.map { "\($0["line"] as? Int ?? 0) \($0["field"] as? String ?? "")" } == ["3 credit_code", "5 credit_code"])
            #expect((errors.first?["reason"] as? String)?.contains(Fixtures.unitB) == true)
            // Nothing of the file is stored, not even unit A's own rows, and nothing is
            // written in the other units' names.
            #expect(try await ImportTests.count(store, "purchases") == 16)
            let stored = try await store.client.query("""
                SELECT count(*)::bigint FROM purchases WHERE order_no LIKE 'U%'
                """).collect().map { try $0.decode(Int.self) }
            #expect(stored == [0])

            // The same file without the foreign rows is stored, for unit A.
            let own = Self.header
                + "\(Fixtures.unitA),U1,2024-07-01,platform832,canteenFood,140603,10.00,completed,,\n"
                + "\(Fixtures.unitA),U3,2024-07-01,platform832,canteenFood,140603,30.00,completed,,\n"
            let accepted = try await Self.upload(client, unit: Fixtures.unitA, token: token, own)
            #expect(accepted.status == 201, "\(accepted.text)")
            #expect(accepted.object["stored"] as? Int == 2)
            let again = try await Self.upload(client, unit: Fixtures.unitA, token: token, own)
            #expect(again.status == 200 && again.object["unchanged"] as? Int == 2)
            #expect(try await ImportTests.count(store, "purchases") == 18)
        }
    }

    @Test func aFileOfAnotherUnitsRowsOnlyIsRefusedEvenInItsOwnName() async throws {
        try await APIWorld.with { world, client, store in
            // Unit B's rows only, sent to unit A's URL by unit A's clerk.
            let foreign = Self.header + "\(Fixtures.unitB),V1,2024-07-01,platform832,canteenFood,530428,20.00,completed,,\n"
            let refused = try await Self.upload(client, unit: Fixtures.unitA, token: world.tokens["clerkA"], foreign)
            #expect(refused.status == 422, "\(refused.text)")
            // Sent to unit B's URL by unit A's clerk: not this clerk's unit.
            let other = try await Self.upload(client, unit: Fixtures.unitB, token: world.tokens["clerkA"], foreign)
            #expect(other.status == 403)
            // An admin sending unit B's rows to unit A's URL is refused as well: the URL names the unit.
            let admin = try await Self.upload(client, unit: Fixtures.unitA, token: world.tokens["admin"], foreign)
            #expect(admin.status == 422)
            #expect(try await ImportTests.count(store, "purchases") == 16)
            // Unit B's clerk may send them to unit B's URL.
            let own = try await Self.upload(client, unit: Fixtures.unitB, token: world.tokens["clerkB"], foreign)
            #expect(own.status == 201, "\(own.text)")
            #expect(try await ImportTests.count(store, "purchases") == 17)
        }
    }

    /// A UTF-8 file with one broken character is refused naming its line and byte, not
    /// stored as GB18030 mojibake; a GBK file is read as GB18030 and the answer says so;
    /// a charset in the Content-Type forces the encoding.
    @Test func aBrokenUTF8FileIsRefusedAndAGBKFileIsSaidToBeGB18030() async throws {
        try await APIWorld.with { world, client, store in
            let token = world.tokens["clerkA"]
            let rest = Array(",2024-07-01,platform832,canteenFood,140603,10.00,completed,,\n".utf8)
            // 号 (E5 8F B7) with its last byte lost.
            let broken = Array(Self.header.utf8) + Array("\(Fixtures.unitA),IMP02B-订单".utf8) + [0xE5, 0x8F] + rest
            #expect(String(decoding: broken, as: UTF8.self).contains("IMP02B-订单\u{FFFD}"))
            let refused = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases/import", token: token,
                                                bytes: broken, headers: ["Content-Type": "text/csv"])
            #expect(refused.status == 422, "\(refused.text)")
            #expect((refused.object["detail"] as? String)?.contains("line 2, byte 33: not UTF-8") == true, "\(refused.text)")
            #expect(try await ImportTests.count(store, "purchases") == 16)

            // The same order in GBK: found to be GB18030, stored as 订单号, and said so.
            var gbk = Array(Self.header.utf8) + Array("\(Fixtures.unitA),IMP02B-".utf8) + [0xB6, 0xA9, 0xB5, 0xA5, 0xBA, 0xC5]
            gbk += rest
            let found = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases/import", token: token,
                                              bytes: gbk, headers: ["Content-Type": "text/csv"])
            #expect(found.status == 201, "\(found.text)")
            #expect(found.object["encoding"] as? String == "gb18030")
            let orders = try await store.client.query("SELECT order_no FROM purchases WHERE order_no LIKE 'IMP02B%'")
                .collect().map { try $0.decode(String.self) }
            #expect(orders == ["IMP02B-订单号"])

            // charset=utf-8 forces UTF-8: the GBK bytes are refused; an unknown charset is 415.
            let forced = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases/import", token: token,
                                               bytes: gbk, headers: ["Content-Type": "text/csv; charset=UTF-8"])
            #expect(forced.status == 422 && (forced.object["detail"] as? String)?.contains("not UTF-8") == true, "\(forced.text)")
            let unknown = try await client.call(.post, "/api/v1/units/\(Fixtures.unitA)/purchases/import", token: token,
                                                bytes: gbk, headers: ["Content-Type": "text/csv; charset=latin1"])
            #expect(unknown.status == 415 && unknown.headers[.contentType] == "application/problem+json")
            // A UTF-8 upload says utf-8.
            let plain = try await Self.upload(client, unit: Fixtures.unitA, token: token, Self.header
                + "\(Fixtures.unitA),U9,2024-07-01,platform832,canteenFood,140603,10.00,completed,,\n")
            #expect(plain.status == 201 && plain.object["encoding"] as? String == "utf-8")
        }
    }
}
