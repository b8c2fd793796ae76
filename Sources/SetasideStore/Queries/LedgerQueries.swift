import PostgresNIO
import SetasideCore

/// Filters for listing a unit's purchases.
public struct PurchaseFilter: Sendable, Hashable {
    public var year: Int?
    public var channel: PurchaseChannel?
    public var category: PurchaseCategory?
    public var origin: String?
    public var status: PurchaseStatus?
    /// Newest first (the pages: a clerk looks for what was just entered), else oldest
    /// first (the API's pages, in id order); a page's cursor runs the same way.
    public var newestFirst: Bool

    public init(year: Int? = nil, channel: PurchaseChannel? = nil, category: PurchaseCategory? = nil, origin: String? = nil,
                status: PurchaseStatus? = nil, newestFirst: Bool = false) {
        self.year = year
        self.channel = channel
        self.category = category
        self.origin = origin
        self.status = status
        self.newestFirst = newestFirst
    }
}

extension Store {
    /// The columns of a purchase as `Purchase` reads them, with `counted` worked out.
    static let purchaseColumns = """
        p.id, p.credit_code, p.order_no, p.order_date::text, p.channel, p.category, p.origin_code, p.amount,
        \(PurchaseRules.currentStatus("p")) AS status,
        p.festival, p.reversal_of, \(PurchaseRules.counted("p")) AS counted,
        p.supplier_name, p.supplier_credit_code, p.product
        """

    /// How many columns `purchaseColumns` has (a query may select more after them).
    static let purchaseColumnCount = 15

    static func decodePurchases(_ rows: PostgresRowSequence) async throws -> [Purchase] {
        var purchases: [Purchase] = []
        for try await row in rows { purchases.append(try decodePurchase(row)) }
        return purchases
    }

    /// Runs `query` on `connection`, else on the pool.
    func run(_ query: PostgresQuery, on connection: PostgresConnection?) async throws -> PostgresRowSequence {
        if let connection { return try await connection.query(query, logger: logger) }
        return try await client.query(query, logger: logger)
    }

    /// `purchases` with their status changes, oldest first.
    func withHistory(_ purchases: [Purchase], on connection: PostgresConnection? = nil) async throws -> [Purchase] {
        guard !purchases.isEmpty else { return purchases }
        let query: PostgresQuery = """
            SELECT p.id, c.from_status, c.to_status, c.changed_on::text,
                   to_char(c.booked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), c.booked_by
            FROM purchases p JOIN purchase_status_changes c ON c.credit_code = p.credit_code AND c.order_no = p.order_no
            WHERE p.id = ANY(\(purchases.map(\.id))::bigint[]) AND p.credit_code = ANY(\(Array(Set(purchases.map(\.creditCode.text))))::text[])
            ORDER BY c.id
            """
        let rows = try await run(query, on: connection)
        var history: [Int64: [StatusChange]] = [:]
        for try await (id, from, to, day, at, by) in rows.decode((Int64, String, String, String, String, String?).self) {
            guard let from = PurchaseStatus(rawValue: from), let to = PurchaseStatus(rawValue: to),
                  let day = try? CalendarDate(parsingISO: day) else {
                throw StoreError.corruptData("a status change of purchase \(id) has an unknown value")
            }
            history[id, default: []].append(StatusChange(from: from, to: to, changedOn: day, bookedAt: at, bookedBy: by))
        }
        return purchases.map { purchase in
            var purchase = purchase
            purchase.history = history[purchase.id] ?? []
            return purchase
        }
    }

    /// The first `purchaseColumnCount` columns of a row, as `purchaseColumns` selects them.
    static func decodePurchase(_ row: PostgresRow) throws -> Purchase {
        let cells = row.makeRandomAccess()
        let id = try cells[0].decode(Int64.self), unit = try cells[1].decode(String.self)
        let order = try cells[2].decode(String.self), date = try cells[3].decode(String.self)
        let channel = try cells[4].decode(String.self), category = try cells[5].decode(String.self)
        let origin = try cells[6].decode(String.self), amount = try cells[7].decode(Int64.self)
        let status = try cells[8].decode(String.self), festival = try cells[9].decode(String?.self)
        let reversal = try cells[10].decode(String?.self), counted = try cells[11].decode(Bool.self)
        let supplier = try cells[12].decode(String?.self), supplierCode = try cells[13].decode(String?.self)
        let product = try cells[14].decode(String?.self)
        guard let day = try? CalendarDate(parsingISO: date), let channel = PurchaseChannel(rawValue: channel),
              let category = PurchaseCategory(rawValue: category), let status = PurchaseStatus(rawValue: status),
              let unit = try? CreditCode(parsing: unit), let origin = try? DivisionCode(parsing: origin)
        else { throw StoreError.corruptData("purchase \(id) has an unknown value") }
        return Purchase(id: id, record: PurchaseRecord(
            line: 0, creditCode: unit, orderNo: order, orderDate: day, channel: channel, category: category,
            originCode: origin, amount: Money(fen: amount), status: status, festival: festival, reversalOf: reversal,
            supplierName: supplier, supplierCreditCode: supplierCode.flatMap { try? CreditCode(parsing: $0) },
            product: product),
                        counted: counted)
    }

    /// One purchase by id, or nil.
    public func purchase(id: Int64, on connection: PostgresConnection? = nil) async throws -> Purchase? {
        let query: PostgresQuery = "SELECT \(unescaped: Self.purchaseColumns) FROM purchases p WHERE p.id = \(id)"
        let found = try await Self.decodePurchases(try await run(query, on: connection))
        return try await withHistory(found, on: connection).first
    }

    /// A page of a unit's purchases in id order (descending when the filter asks for the
    /// newest first), after `cursor` (the last id of the previous page), and the cursor
    /// of the next page when there is one.
    public func purchases(of creditCode: String, filter: PurchaseFilter, after cursor: Int64?, limit: Int)
        async throws -> (purchases: [Purchase], next: Int64?) {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.purchaseColumns) FROM purchases p
            WHERE p.credit_code = \(creditCode)
              AND (\(filter.year)::int IS NULL OR (p.ledger_date >= make_date(\(filter.year)::int, 1, 1)
                                                  AND p.ledger_date < make_date(\(filter.year)::int + 1, 1, 1)))
              AND (\(filter.channel?.rawValue)::text IS NULL OR p.channel = \(filter.channel?.rawValue))
              AND (\(filter.category?.rawValue)::text IS NULL OR p.category = \(filter.category?.rawValue))
              AND (\(filter.origin)::text IS NULL OR p.origin_code = \(filter.origin))
              AND (\(filter.status?.rawValue)::text IS NULL OR \(unescaped: PurchaseRules.currentStatus("p")) = \(filter.status?.rawValue))
              AND p.id \(unescaped: filter.newestFirst ? "<" : ">") \(cursor ?? (filter.newestFirst ? Int64.max : 0))
            ORDER BY p.id \(unescaped: filter.newestFirst ? "DESC" : "ASC")
            LIMIT \(limit + 1)
            """, logger: logger)
        var page = try await withHistory(try await Self.decodePurchases(rows))
        var next: Int64?
        if page.count > limit {
            page.removeLast()
            next = page.last?.id
        }
        return (page, next)
    }

    /// The unit's region and its ancestors, nearest first; nil for an unknown unit.
    public func unitAncestry(_ creditCode: String) async throws -> [String]? {
        try await ancestry(startingFrom: "SELECT region_code FROM units WHERE credit_code = $1", creditCode)
    }

    /// The unit and the units above it by `parent_credit_code` (主管预算单位), itself first;
    /// empty for an unknown unit.
    public func supervisingChain(_ creditCode: String) async throws -> [String] {
        let rows = try await client.query("""
            WITH RECURSIVE chain(code, parent, depth) AS (
                SELECT credit_code, parent_credit_code, 0 FROM units WHERE credit_code = \(creditCode)
                UNION ALL
                SELECT u.credit_code, u.parent_credit_code, c.depth + 1 FROM chain c JOIN units u ON u.credit_code = c.parent
                WHERE c.depth < 64
            )
            SELECT code FROM chain ORDER BY depth
            """, logger: logger)
        var chain: [String] = []
        for try await code in rows.decode(String.self) { chain.append(code) }
        return chain
    }

    /// The region and its ancestors, itself first; nil for an unknown region.
    public func regionAncestry(_ code: String) async throws -> [String]? {
        try await ancestry(startingFrom: "SELECT code FROM regions WHERE code = $1", code)
    }

    /// Walks `parent_code` up from the region `start` selects (one bind, `$1`).
    private func ancestry(startingFrom start: String, _ argument: String) async throws -> [String]? {
        var bindings = PostgresBindings()
        bindings.append(argument)
        let rows = try await client.query(PostgresQuery(unsafeSQL: """
            WITH RECURSIVE chain(code, parent, depth) AS (
                SELECT r.code, r.parent_code, 0 FROM regions r WHERE r.code IN (\(start))
                UNION ALL
                SELECT r.code, r.parent_code, c.depth + 1 FROM chain c JOIN regions r ON r.code = c.parent
                WHERE c.depth < 16
            )
            SELECT code FROM chain ORDER BY depth
            """, binds: bindings), logger: logger)
        var codes: [String] = []
        for try await code in rows.decode(String.self) { codes.append(code) }
        return codes.isEmpty ? nil : codes
    }
}
