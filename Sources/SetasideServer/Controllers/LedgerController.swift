import HTTPTypes
import PostgresNIO
import Hummingbird
import SetasideCore
import SetasideStore

/// Purchases: list, create (idempotent with a key), import a CSV, read one, reverse one.
struct LedgerController {
    let store: Store
    let configuration: ServerConfiguration
    let authorizer: Authorizer
    /// Orders sent without an idempotency key are stored in shared statements.
    let batcher: PurchaseBatcher

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("units/{creditCode}/purchases", use: list)
        router.post("units/{creditCode}/purchases", use: create)
        router.post("units/{creditCode}/purchases/import", use: importCSV)
        router.get("purchases/{id}", use: read)
        router.post("purchases/{id}/reversal", use: reverse)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .read, unit: code)
        let query = request.uri.queryParameters
        var problems: [ImportProblem] = []
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String {
            guard let text = query[Substring(name)].map(String.init) else { return nil }
            if let value = T(rawValue: text) { return value }
            problems.append(ImportProblem(line: 0, field: name, reason: "'\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        var filter = PurchaseFilter(channel: choice("channel", PurchaseChannel.self),
                                    category: choice("category", PurchaseCategory.self),
                                    origin: query["origin"].map(String.init), status: choice("status", PurchaseStatus.self))
        if let year = query["year"] {
            if let value = Int(String(year)), (2000...2999).contains(value) { filter.year = value } else {
                problems.append(ImportProblem(line: 0, field: "year", reason: "'\(year)' is not a year"))
            }
        }
        var cursor: Int64?
        if let text = query["cursor"] {
            if let value = Int64(String(text)), value >= 0 { cursor = value } else {
                problems.append(ImportProblem(line: 0, field: "cursor", reason: "is not a cursor from a previous page"))
            }
        }
        if !problems.isEmpty { throw Problem.validation(problems) }
        let page = try await store.purchases(of: code, filter: filter, after: cursor, limit: try Paging.limit(request))
        return JSONResponse(Views.list(page.purchases.map(Views.purchase), next: page.next.map(String.init)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .writePurchases, unit: code)
        let body = try await request.body.collect(upTo: configuration.maxJSONBody)
        let record = try PurchaseInput.read(body, creditCode: code)
        if request.headers[Self.idempotencyKey] == nil {
            let (purchase, created) = try await batcher.create(record, actor: account.actor)
            return Self.response(StoredResponse(status: created ? 201 : 200, body: Views.purchase(purchase)), replayed: false)
        }
        return try await write(request, context: context, account: account, requestText: String(buffer: body)) { connection in
            let (purchase, created) = try await store.createPurchase(record, actor: account.actor, on: connection)
            return StoredResponse(status: created ? 201 : 200, body: Views.purchase(purchase))
        }
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let purchase = try await load(context)
        try await authorizer.require(account, .read, unit: purchase.creditCode, subject: "purchase \(purchase.id)")
        return JSONResponse(Views.purchase(purchase))
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let original = try await load(context)
        try await authorizer.require(account, .writePurchases, unit: original.creditCode,
                                    subject: "the unit of purchase \(original.id)")
        let body = try await request.body.collect(upTo: configuration.maxJSONBody)
        var input = try JSONBody.parse(body, allowed: ["amount", "orderNo", "orderDate"])
        let amount = input.money("amount")
        let orderNo = input.string("orderNo")
        let orderDate = input.date("orderDate")
        if let amount, amount <= .zero {
            input.problem("amount", "is the amount taken back, a positive number of yuan")
        }
        try input.finish()
        guard let amount, let orderNo, let orderDate else { throw Problem.validation(input.problems) }
        let record = try PurchaseInput.record([
            "credit_code": original.creditCode, "order_no": orderNo, "order_date": orderDate.iso,
            "channel": original.channel.rawValue, "category": original.category.rawValue,
            "origin_code": original.originCode, "amount": (-amount).yuanString, "status": "completed",
            "festival": original.festival ?? "", "reversal_of": original.orderNo,
        ])
        return try await write(request, context: context, account: account, requestText: String(buffer: body)) { connection in
            let (purchase, created) = try await store.createPurchase(record, actor: account.actor, on: connection)
            return StoredResponse(status: created ? 201 : 200, body: Views.purchase(purchase))
        }
    }

    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .writePurchases, unit: code)
        let body = try await request.body.collect(upTo: configuration.maxCSVBody)
        let bytes = Array(body.readableBytesView)
        // Every row must be this unit's: a clerk imports for the unit in the path only.
        let parsed = try ImportParser.purchases(bytes)
        let foreign = parsed.records.filter { $0.creditCode.text != code }
            .map { ImportProblem(line: $0.line, field: "credit_code", reason: "\($0.creditCode.text) is not the unit of this URL (\(code))") }
        if !foreign.isEmpty { throw Problem.validation(foreign) }
        let summary = try await Importer(store: store, actor: account.actor).importFile(.purchases, bytes: bytes)
        let warnings = summary.warnings.map { "{\"line\": \($0.line), \"field\": \(JSONText.string($0.field)), \"reason\": \(JSONText.string($0.reason))}" }
        return JSONResponse("{\"rows\": \(summary.rows), \"stored\": \(summary.inserted), \"unchanged\": \(summary.unchanged), "
                            + "\"warnings\": [\(warnings.joined(separator: ", "))]}",
                            status: summary.inserted > 0 ? .created : .ok)
    }

    func load(_ context: AppRequestContext) async throws -> Purchase {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw Problem.notFound("purchase \(text) not found") }
        guard let purchase = try await store.purchase(id: id) else { throw Problem.notFound("purchase \(id) not found") }
        return purchase
    }

    /// Runs a write once: with an `Idempotency-Key`, a repeat of the same request gets the
    /// first answer and the same key with another request is 422.
    func write(_ request: Request, context: AppRequestContext, account: Account, requestText: String,
               _ body: @escaping @Sendable (PostgresConnection) async throws -> StoredResponse) async throws -> Response {
        let response: StoredResponse
        var replayed = false
        if let key = request.headers[Self.idempotencyKey] {
            guard (1...200).contains(key.unicodeScalars.count) else {  // as PostgreSQL counts them
                throw Problem.validation([ImportProblem(line: 0, field: "Idempotency-Key", reason: "must have 1 to 200 characters")])
            }
            let fingerprint = "\(request.method.rawValue) \(request.uri.path)\n\(requestText)"
            switch try await store.idempotent(accountID: account.id, key: key, request: fingerprint, { try await body($0) }) {
            case .fresh(let stored): response = stored
            case .replayed(let stored): response = stored; replayed = true
            case .keyReused:
                throw Problem(.unprocessableContent, type: "idempotency-key-reused", title: "Idempotency key reused",
                              detail: "the key \(key) was used before with a different request")
            }
        } else {
            response = try await store.transaction { try await body($0) }
        }
        return Self.response(response, replayed: replayed)
    }

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    static func response(_ response: StoredResponse, replayed: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return Response(status: .init(code: response.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: response.body)))
    }
}
