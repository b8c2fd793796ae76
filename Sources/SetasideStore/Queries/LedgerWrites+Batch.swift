import PostgresNIO
import SetasideCore

/// One order to store in a shared statement, with who sends it.
public struct PurchaseWrite: Sendable {
    public var record: PurchaseRecord
    public var actor: String

    public init(record: PurchaseRecord, actor: String) {
        self.record = record
        self.actor = actor
    }
}

extension Store {
    /// Stores many orders (not reversals) in one statement, each with its audit entry,
    /// and answers for each one as `createPurchase` would: the stored purchase and
    /// whether it is new, or a conflict when its order number is stored with other content.
    ///
    /// The statement commits on its own: either every new order of `writes` is stored or
    /// none is (then this throws, e.g. for an origin that is not stored, and the caller
    /// retries the orders one by one to tell which one is wrong). Once it has committed,
    /// this no longer throws: an order whose repeat could not be read back gets an error
    /// of its own.
    public func createPurchases(_ writes: [PurchaseWrite]) async throws -> [Result<(purchase: Purchase, created: Bool), Error>] {
        precondition(writes.allSatisfy { $0.record.reversalOf == nil }, "a reversal is stored with createPurchase")
        let records = writes.map(\.record)
        var inserted: [String: Purchase] = [:]
        for try await purchase in try await client.execute(InsertPurchases(writes: writes), logger: logger) {
            inserted[Self.orderKey(purchase.creditCode, purchase.orderNo)] = purchase
        }
        // An order number already taken (or taken twice in this batch): the stored row
        // tells a repeat from a conflict.
        var results: [Result<(purchase: Purchase, created: Bool), Error>?] = Array(repeating: nil, count: writes.count)
        var taken: [Int] = []
        for (i, record) in records.enumerated() {
            if let purchase = inserted.removeValue(forKey: Self.orderKey(record.creditCode.text, record.orderNo)) {
                results[i] = .success((purchase, true))
            } else {
                taken.append(i)
            }
        }
        if !taken.isEmpty {
            do {
                try await answerTaken(taken, of: records, into: &results)
            } catch {
                // The INSERT has committed: the new orders stay answered as new (a retry of
                // the whole batch would call them repeats); only these are left unknown.
                for i in taken { results[i] = .failure(error) }
            }
        }
        return results.map { $0! }
    }

    /// Answers the orders at `taken`, whose numbers were stored already: a repeat or a conflict.
    private func answerTaken(_ taken: [Int], of records: [PurchaseRecord],
                             into results: inout [Result<(purchase: Purchase, created: Bool), Error>?]) async throws {
        let found = try await Self.decodePurchases(try await client.query("""
            SELECT \(unescaped: Self.purchaseColumns) FROM purchases p
            JOIN unnest(\(taken.map { records[$0].creditCode.text })::text[], \(taken.map { records[$0].orderNo })::text[])
                AS k(credit_code, order_no) ON p.credit_code = k.credit_code AND p.order_no = k.order_no
            """, logger: logger))
        let stored = Dictionary(found.map { (Self.orderKey($0.creditCode, $0.orderNo), $0) }, uniquingKeysWith: { a, _ in a })
        for i in taken {
            let record = records[i]
            guard let purchase = stored[Self.orderKey(record.creditCode.text, record.orderNo)] else {
                results[i] = .failure(StoreError.corruptData("order \(record.orderNo) of \(record.creditCode.text) neither stored nor found"))
                continue
            }
            results[i] = Result { (try Self.sameOrder(purchase, as: record), false) }
        }
    }

    static func orderKey(_ creditCode: String, _ orderNo: String) -> String {
        creditCode + "\u{1F}" + orderNo
    }

    /// `stored` when it has `record`'s content; a conflict when it does not.
    static func sameOrder(_ stored: Purchase, as record: PurchaseRecord) throws -> Purchase {
        let same = stored.orderDate == record.orderDate && stored.channel == record.channel
            && stored.category == record.category && stored.originCode == record.originCode.text
            && stored.amount == record.amount && stored.status == record.status
            && stored.festival == record.festival && stored.reversalOf == record.reversalOf
        guard same else {
            throw StoreError.conflict("order \(record.orderNo) of \(record.creditCode.text) is stored with different content (purchase \(stored.id))")
        }
        return stored
    }
}

/// The statement of `createPurchases`, prepared once per connection: a busy server runs
/// it hundreds of times a second, and planning it each time cost more than running it.
struct InsertPurchases: PostgresPreparedStatement {
    typealias Row = Purchase

    static let sql = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[], $6::text[],
                                 $7::bigint[], $8::text[], $9::text[], $10::text[])
                WITH ORDINALITY AS i(credit_code, order_no, order_date, channel, category, origin_code, amount,
                                     status, festival, actor, n)
        ), stored AS (
            INSERT INTO purchases (credit_code, order_no, order_date, channel, category, origin_code, amount,
                                   status, festival, ledger_date)
            SELECT credit_code, order_no, order_date, channel, category, origin_code, amount, status,
                   nullif(festival, ''), order_date
            FROM input ORDER BY n
            ON CONFLICT (credit_code, order_no) DO NOTHING
            RETURNING *
        ), audited AS (
            INSERT INTO audit_log (actor, action, entity, entity_key, credit_code, after)
            SELECT i.actor, 'purchase.create', 'purchase', s.id::text, s.credit_code,
                   jsonb_build_object('ids', jsonb_build_array(s.id),
                                      'digests', jsonb_build_array(purchase_digest(ROW(s.*)::purchases)),
                                      'purchase', to_jsonb(s))
            FROM stored s
            JOIN LATERAL (SELECT actor FROM input i WHERE i.credit_code = s.credit_code AND i.order_no = s.order_no
                          ORDER BY n LIMIT 1) i ON true
            ORDER BY s.id
        )
        SELECT \(Store.purchaseColumns) FROM stored p
        """

    var writes: [PurchaseWrite]

    func makeBindings() throws -> PostgresBindings {
        let records = writes.map(\.record)
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(records.map(\.creditCode.text))
        bindings.append(records.map(\.orderNo))
        bindings.append(records.map(\.orderDate.iso))
        bindings.append(records.map(\.channel.rawValue))
        bindings.append(records.map(\.category.rawValue))
        bindings.append(records.map(\.originCode.text))
        bindings.append(records.map(\.amount.fen))
        bindings.append(records.map(\.status.rawValue))
        bindings.append(records.map { $0.festival ?? "" })
        bindings.append(writes.map(\.actor))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Purchase {
        try Store.decodePurchase(row)
    }
}
