import HTTPTypes
import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// Purchases: list, create (idempotent with a key), import a CSV, read one, reverse one.
struct LedgerController {
    let operations: Operations
    let configuration: ServerConfiguration

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("units/{creditCode}/purchases", use: list)
        router.post("units/{creditCode}/purchases", use: create)
        router.post("units/{creditCode}/purchases/import", use: importCSV)
        router.post("units/{creditCode}/orders832", use: importOrderExport)
        router.get("purchases/{id}", use: read)
        router.post("purchases/{id}/reversal", use: reverse)
        router.post("purchases/{id}/status", use: changeStatus)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .read, unit: code)
        let query = request.uri.queryParameters
        var problems: [InputProblem] = []
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) -> T? where T.RawValue == String {
            ChoiceParameter.read(name, of: request, as: type, into: &problems)
        }
        var filter = PurchaseFilter(channel: choice("channel", PurchaseChannel.self),
                                    category: choice("category", PurchaseCategory.self),
                                    origin: DivisionCodeParameter.read("origin", of: request, into: &problems),
                                    status: choice("status", PurchaseStatus.self))
        if let year = query["year"] {
            do { filter.year = try Year(parsing: year).value } catch {
                problems.append(InputProblem.field("year", error.reason))
            }
        }
        var cursor: Int64?
        if let text = query["cursor"] {
            if let value = Int64(String(text)), value >= 0 { cursor = value } else {
                problems.append(InputProblem.field("cursor", "is not a cursor from a previous page"))
            }
        }
        if !problems.isEmpty { throw Problem.validation(problems) }
        let page = try await operations.purchases(of: code, filter: filter, after: cursor, limit: try Paging.limit(request),
                                                  by: caller)
        return JSONResponse(Views.list(page.purchases.map(Views.purchase), next: page.next.map(String.init)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writePurchases, unit: code)
        let body = try await request.body.collect(upTo: configuration.maxJSONBody)
        let record = try PurchaseInput.read(body, creditCode: code)
        guard let key = try Self.idempotencyKey(request, body: body) else {
            let recorded = try await operations.recordPurchase(record, by: caller)
            return Self.response(.fresh(Self.answer(recorded)))
        }
        return Self.response(try await operations.recordPurchase(record, by: caller, key: key, answer: Self.answer))
    }

    @Sendable func read(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        return JSONResponse(Views.purchase(try await operations.purchase(id: try Self.purchaseID(context), by: caller)))
    }

    @Sendable func reverse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try Self.purchaseID(context)
        _ = try await operations.purchase(id: id, for: .writePurchases, by: caller)
        let body = try await request.body.collect(upTo: configuration.maxJSONBody)
        var input = try JSONBody.parse(body, as: .reversal)
        let amount = input.money("amount")
        let orderNo = input.string("orderNo")
        let orderDate = input.date("orderDate")
        try input.finish()
        guard let amount, let orderNo, let orderDate else { throw Problem.validation(input.problems) }
        return Self.response(try await operations.reversePurchase(
            id: id, orderNo: orderNo, orderDate: orderDate, amount: amount, by: caller,
            key: try Self.idempotencyKey(request, body: body), answer: Self.answer))
    }

    /// A status change of a stored order: 201 when booked, 200 when it had that status,
    /// 409 when the change is not allowed.
    @Sendable func changeStatus(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let id = try Self.purchaseID(context)
        _ = try await operations.purchase(id: id, for: .writePurchases, by: caller)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, as: .statusChange)
        let status = body.choice("status", PurchaseStatus.self)
        let day = body.date("changedOn", required: false)
        try body.finish()
        guard let status else { throw Problem.validation(body.problems) }
        let (purchase, booked) = try await operations.changeStatus(id: id, to: status, on: day, by: caller)
        return JSONResponse(Views.purchase(purchase), status: booked ? .created : .ok)
    }

    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writePurchases, unit: code)
        let encoding = try Self.charset(request)
        let body = try await request.body.collect(upTo: configuration.maxCSVBody)
        // Every row must be this unit's: a clerk imports for the unit in the path only.
        let summary = try await operations.importFile(.purchases, bytes: Array(body.readableBytesView), encoding: encoding,
                                                      by: caller, unit: code)
        return Self.summaryResponse(summary)
    }

    /// An order export for the unit of the path (the body: an xlsx workbook or a CSV file),
    /// or with `?dryRun=true` what it would store.
    @Sendable func importOrderExport(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writePurchases, unit: code)
        var problems: [InputProblem] = []
        let channel = ChoiceParameter.read("channel", of: request, as: PurchaseChannel.self, into: &problems) ?? .platform832
        if ![.platform832, .localPlatform].contains(channel) {
            problems.append(.field("channel", "an order export's channel is platform832 or localPlatform"))
        }
        let category = ChoiceParameter.read("category", of: request, as: PurchaseCategory.self, into: &problems) ?? .canteenFood
        let festival = request.uri.queryParameters["festival"].map(String.init)
        if let festival, Festival.normalize(festival) == nil {
            problems.append(.field("festival", "\(FieldValue.shown(festival)) is not a festival name (春节, 中秋, … or an identifier such as midAutumn)"))
        }
        if !problems.isEmpty { throw Problem.validation(problems) }
        let dryRun = try InspectionController.flag(request, "dryRun")
        let sheet = request.uri.queryParameters["sheet"].map(String.init)
        let encoding = try Self.charset(request)
        let body = try await request.body.collect(upTo: configuration.maxCSVBody)
        let summary = try await operations.importOrderExport(bytes: Array(body.readableBytesView), encoding: encoding, sheet: sheet,
                                                             unit: code, channel: channel, category: category, festival: festival,
                                                             dryRun: dryRun,
                                                             by: caller)
        return Self.summaryResponse(summary)
    }

    /// An import's answer: what it stored (201 when it stored or booked something, else
    /// 200; a dry run 200), its encoding and warnings.
    static func summaryResponse(_ summary: ImportSummary) -> JSONResponse {
        func problems(_ list: [InputProblem]) -> String {
            list.map { "{\"line\": \($0.line), \"field\": \(JSONText.string($0.field)), \"reason\": \(JSONText.string($0.reason))}" }
                .joined(separator: ", ")
        }
        return JSONResponse("{\"rows\": \(summary.rows), \"stored\": \(summary.inserted), \"unchanged\": \(summary.unchanged), "
                            + "\"statusChanges\": \(summary.statusChanges), \"dryRun\": \(summary.dryRun), "
                            + "\"refusedRows\": \(summary.refusedRows), \"refused\": [\(problems(summary.refused))], "
                            + "\"encoding\": \(JSONText.string(summary.encoding.label)), "
                            + "\"warnings\": [\(problems(summary.warnings))]}",
                            status: !summary.dryRun && summary.inserted + summary.statusChanges > 0 ? .created : .ok)
    }

    /// The encoding the `charset` of the request's Content-Type names (`text/csv;
    /// charset=gb18030`), or nil to find it from the bytes; 415 for a charset setaside
    /// does not read.
    static func charset(_ request: Request) throws -> TextEncoding? {
        guard let contentType = request.headers[.contentType] else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            // A charset name has no spaces or quotes of its own: drop those around it.
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.filter { $0 != " " && $0 != "\t" && $0 != "\"" } }
            guard pair.count == 2, pair[0].lowercased() == "charset" else { continue }
            let name = pair[1]
            guard let encoding = TextEncoding(name: name) else {
                throw Problem(.unsupportedMediaType, type: "unsupported-charset", title: "Unsupported charset",
                              detail: "charset \(name.prefix(40)) is not read: send UTF-8 or GB18030 (GBK), or no charset to have it found")
            }
            return encoding
        }
        return nil
    }

    /// The purchase id of the path; 404 when it is not one.
    static func purchaseID(_ context: AppRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw Problem.notFound("purchase \(text) not found") }
        return id
    }

    static let idempotencyKeyField = HTTPField.Name("Idempotency-Key")!

    /// The request's `Idempotency-Key`, with the request it must match on a repeat.
    static func idempotencyKey(_ request: Request, body: ByteBuffer) throws -> IdempotencyKey? {
        guard let key = request.headers[idempotencyKeyField] else { return nil }
        guard (1...200).contains(key.unicodeScalars.count) else {  // as PostgreSQL counts them
            throw Problem.validation([InputProblem.field("Idempotency-Key", "must have 1 to 200 characters")])
        }
        return IdempotencyKey(key: key, request: "\(request.method.rawValue) \(request.uri.path)\n\(String(buffer: body))")
    }

    /// The answer to a recorded purchase: 201 with the purchase when it is new, 200 when
    /// it was stored already with the same content.
    @Sendable static func answer(_ recorded: RecordedPurchase) -> KeptAnswer {
        KeptAnswer(status: recorded.created ? 201 : 200, body: Views.purchase(recorded.purchase))
    }

    static func response(_ outcome: IdempotentOutcome) -> Response {
        let answer: KeptAnswer
        var headers = HTTPFields()
        switch outcome {
        case .fresh(let fresh):
            answer = fresh
        case .replayed(let kept):
            answer = kept
            headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
        case .keyReused:
            return Problem(.unprocessableContent, type: "idempotency-key-reused", title: "Idempotency key reused",
                           detail: "the key was used before with a different request").response
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: answer.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
