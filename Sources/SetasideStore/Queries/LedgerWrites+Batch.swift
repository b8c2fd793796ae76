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
    /// What a write of one purchase comes to: the purchase and whether it is new, or why not.
    public typealias PurchaseOutcome = Result<(purchase: Purchase, created: Bool), any Error>

    /// Stores many orders (not reversals) in one statement, each with its audit entry,
    /// and answers for each one as `createPurchase` would: the stored purchase and
    /// whether it is new, or a conflict when its order number is stored with other content.
    ///
    /// The statement commits on its own: either every new order of `writes` is stored or
    /// none is (then this throws, e.g. for an origin that is not stored, and the caller
    /// retries the orders one by one to tell which one is wrong). Once it has committed,
    /// this no longer throws: an order whose repeat could not be read back gets an error
    /// of its own.
    public func createPurchases(_ writes: [PurchaseWrite]) async throws -> [PurchaseOutcome] {
        precondition(writes.allSatisfy { $0.record.reversalOf == nil }, "a reversal is stored with createPurchase")
        return try await insertPurchases(writes, insert: { try await client.execute($0, logger: logger) },
                                         query: { try await client.query($0, logger: logger) })
    }

    /// `createPurchases` inside the caller's transaction (a reversal's writes may be among them).
    func insertPurchases(_ writes: [PurchaseWrite], on connection: PostgresConnection) async throws -> [PurchaseOutcome] {
        try await insertPurchases(writes, insert: { try await connection.execute($0, logger: logger) },
                                  query: { try await connection.query($0, logger: logger) })
    }

    private func insertPurchases<Rows: AsyncSequence>(
        _ writes: [PurchaseWrite], insert: (InsertPurchases) async throws -> Rows,
        query: (PostgresQuery) async throws -> PostgresRowSequence
    ) async throws -> [PurchaseOutcome] where Rows.Element == Purchase {
        var inserted: [String: Purchase] = [:]
        for try await purchase in try await insert(InsertPurchases(writes: writes)) {
            inserted[Self.orderKey(purchase.creditCode.text, purchase.orderNo)] = purchase
        }
        // An order number already taken (or taken twice in this batch): the stored row
        // tells a repeat from a conflict.
        var results: [PurchaseOutcome?] = Array(repeating: nil, count: writes.count)
        var taken: [Int] = []
        for (i, write) in writes.enumerated() {
            if let purchase = inserted.removeValue(forKey: Self.orderKey(write.record.creditCode.text, write.record.orderNo)) {
                results[i] = .success((purchase, true))
            } else {
                taken.append(i)
            }
        }
        if !taken.isEmpty {
            do {
                let answers = try await answerTaken(taken.map { writes[$0].record }, query: query)
                for (i, answer) in zip(taken, answers) {
                    let record = writes[i].record
                    results[i] = answer ?? .failure(StoreError.corruptData(
                        "order \(record.orderNo) of \(record.creditCode.text) neither stored nor found"))
                }
            } catch {
                // The INSERT has committed: the new orders stay answered as new (a retry of
                // the whole batch would call them repeats); only these are left unknown.
                for i in taken { results[i] = .failure(error) }
            }
        }
        return results.map { $0! }
    }

    /// For each record, its order as stored: the stored purchase (`created` false) when it
    /// is the same order, a conflict when its content differs, nil when it is not stored.
    func answerTaken(_ records: [PurchaseRecord], on connection: PostgresConnection) async throws -> [PurchaseOutcome?] {
        try await answerTaken(records, query: { try await connection.query($0, logger: logger) })
    }

    private func answerTaken(_ records: [PurchaseRecord], query: (PostgresQuery) async throws -> PostgresRowSequence)
        async throws -> [PurchaseOutcome?] {
        // By each record's place (`n`), not its key: two records of one order sent
        // together (a retry and a changed copy) each get their own answer.
        let sql = """
            WITH \(PurchaseRules.stagedCTE)
            SELECT \(Self.purchaseColumns), \(PurchaseRules.repeats("p", "s")), \(PurchaseRules.differentContent("p", "s")), s.n
            FROM staged_purchases s JOIN purchases p ON p.credit_code = s.credit_code AND p.order_no = s.order_no
            """
        var answers = [PurchaseOutcome?](repeating: nil, count: records.count)
        for try await row in try await query(PostgresQuery(unsafeSQL: sql, binds: Self.stagedBindings(records))) {
            let purchase = try Self.decodePurchase(row)
            let cells = row.makeRandomAccess()
            let same = try cells[Self.purchaseColumnCount].decode(Bool.self)
            let reason = try cells[Self.purchaseColumnCount + 1].decode(String.self)
            let place = try cells[Self.purchaseColumnCount + 2].decode(Int.self)
            guard answers.indices.contains(place - 1) else { throw StoreError.corruptData("a purchase answered for row \(place)") }
            answers[place - 1] = same ? .success((purchase, false)) : .failure(StoreError.conflict(reason))
        }
        return answers
    }

    /// The bound arrays of `PurchaseRules.stagedCTE` for `records`.
    static func stagedBindings(_ records: [PurchaseRecord]) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: PurchaseRules.stagedArrayCount + 1)
        bindings.append(records.map(\.line))
        bindings.append(records.map(\.creditCode.text))
        bindings.append(records.map(\.orderNo))
        bindings.append(records.map(\.orderDate.iso))
        bindings.append(records.map(\.channel.rawValue))
        bindings.append(records.map(\.category.rawValue))
        bindings.append(records.map(\.originCode.text))
        bindings.append(records.map(\.amount.fen))
        bindings.append(records.map(\.status.rawValue))
        bindings.append(records.map { $0.festival ?? "" })   // '' is NULL (stagedCTE)
        bindings.append(records.map { $0.reversalOf ?? "" })
        bindings.append(records.map { $0.supplierName ?? "" })
        bindings.append(records.map { $0.supplierCreditCode?.text ?? "" })
        bindings.append(records.map { $0.product ?? "" })
        return bindings
    }

    static func orderKey(_ creditCode: String, _ orderNo: String) -> String {
        creditCode + "\u{1F}" + orderNo
    }
}

/// The statement that stores purchases from the API, one or many, prepared once per
/// connection: a busy server runs it hundreds of times a second, and planning it each
/// time cost more than running it. Orders that are stored already are skipped (the
/// caller tells a repeat from a conflict); each new purchase is booked by its sender, and
/// the ledger's trigger writes its audit entry.
struct InsertPurchases: PostgresPreparedStatement {
    typealias Row = Purchase

    static let sql = """
        WITH \(PurchaseRules.stagedCTE), input AS (
            SELECT s.*, a.actor FROM staged_purchases s
            JOIN unnest($\(PurchaseRules.stagedArrayCount + 1)::text[]) WITH ORDINALITY AS a(actor, n) USING (n)
        ), stored AS (
            INSERT INTO purchases (\(PurchaseRules.insertColumns))
            SELECT i.credit_code, i.order_no, i.order_date, i.channel, i.category, i.origin_code, i.amount, i.status,
                   i.festival, i.reversal_of,
                   \(PurchaseRules.ledgerDate("i", originalDate: """
                       (SELECT o.order_date FROM purchases o WHERE o.credit_code = i.credit_code AND o.order_no = i.reversal_of)
                       """)),
                   i.actor, i.supplier_name, i.supplier_credit_code, i.product
            FROM input i ORDER BY n
            ON CONFLICT (credit_code, order_no) DO NOTHING
            RETURNING *
        )
        SELECT \(Store.purchaseColumns) FROM stored p
        """

    var writes: [PurchaseWrite]

    /// The rows as `PurchaseRules.stagedCTE` reads them, then who sends each (`$15`).
    func makeBindings() throws -> PostgresBindings {
        var bindings = Store.stagedBindings(writes.map(\.record))
        bindings.append(writes.map(\.actor))
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Purchase {
        try Store.decodePurchase(row)
    }
}
