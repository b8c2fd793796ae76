import Foundation
import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// A unit's purchases as pages: the list with its filters and pages, the entry form
/// (checked as a purchases file's row is, what was typed kept and each bad field marked),
/// and a purchase's page with its reversal.
extension PageController {
    func addPurchaseRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("units/{creditCode}/purchases", use: purchases)
        pages.post("units/{creditCode}/purchases", use: recordPurchase)
        pages.get("purchases/{id}", use: purchase)
        pages.post("purchases/{id}/reversal", use: reversePurchase)
        pages.post("purchases/{id}/findings", use: recordFinding)
    }

    /// The fields of the entry form, by the purchases file's column names.
    static let purchaseFields = ["order_no", "order_date", "channel", "category", "origin_code", "amount", "status",
                                 "festival", "supplier_name", "product"]

    static func today() -> String {
        todayInChina().iso
    }

    /// The catalogue key of each field's label.
    static let purchaseLabels = ["order_no": "orderNo", "order_date": "orderDate", "channel": "channel", "category": "category",
                                 "origin_code": "originCode", "amount": "amount", "status": "orderStatus", "festival": "festival",
                                 "supplier_name": "supplierName", "product": "product"]

    /// The form's fields with `values` and the errors of `problems` (by column name).
    static func purchaseForm(_ values: [String: String], problems: [InputProblem], words: PageCatalogue) -> [[String: Any]] {
        let labels = purchaseLabels
        func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ prefix: String) -> [(String, String)]
        where T.RawValue == String {
            T.allCases.map { ($0.rawValue, "\(prefix)_\($0.rawValue)") }
        }
        return purchaseFields.map { name in
            let field = PageViews.field(name, label: labels[name] ?? name, value: values[name] ?? "", problems: problems, words: words,
                                        required: ["order_no", "order_date", "origin_code", "amount"].contains(name),
                                        type: name == "order_date" ? "date" : nil)
            switch name {
            case "channel": return PageViews.choice(field, options(PurchaseChannel.self, "channel"), words: words)
            case "category": return PageViews.choice(field, options(PurchaseCategory.self, "category"), words: words)
            case "status": return PageViews.choice(field, options(PurchaseStatus.self, "purchaseStatus"), words: words)
            default: return field
            }
        }
    }

    static func purchaseRow(_ p: Purchase, words: PageCatalogue) -> [String: Any] {
        let r = p.record
        var row: [String: Any] = [
            "id": p.id, "orderNo": r.orderNo, "orderDate": r.orderDate.iso, "year": r.orderDate.year,
            "creditCode": r.creditCode.text,
            "category": words["category_\(r.category.rawValue)"], "channel": words["channel_\(r.channel.rawValue)"],
            "origin": r.originCode.text, "status": words["purchaseStatus_\(r.status.rawValue)"],
            "amount": r.amount.groupedYuanString, "counted": p.counted,
        ]
        row["reversalOf"] = r.reversalOf
        row["supplier"] = r.supplierName
        row["product"] = r.product
        return row
    }

    @Sendable func purchases(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await purchasesPage(request, context, form: [:], problems: [], formError: nil, status: .ok)
    }

    /// The purchases page: the list as the query filters it, and the entry form with
    /// `form` typed (else today's defaults) and `problems` marked.
    func purchasesPage(_ request: Request, _ context: AppRequestContext, form: [String: String], problems: [InputProblem],
                       formError: String?, status: HTTPResponse.Status) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let unit = try await operations.unit(code, by: caller)
        let (year, _) = Self.year(request)
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        let words = visit.words
        let query = request.uri.queryParameters
        let channel = query["channel"].flatMap { PurchaseChannel(rawValue: String($0)) }
        let category = query["category"].flatMap { PurchaseCategory(rawValue: String($0)) }
        let purchaseStatus = query["status"].flatMap { PurchaseStatus(rawValue: String($0)) }
        let cursor = query["cursor"].flatMap { Int64(String($0)) }
        let page = try await operations.purchases(
            of: code, filter: PurchaseFilter(year: year, channel: channel, category: category, status: purchaseStatus,
                                                newestFirst: true),
            after: cursor, limit: 50, by: caller)
        var canWrite = true
        do { try await operations.authorize(caller, .writePurchases, unit: code) } catch AccessError.forbidden { canWrite = false }
        func filter<T: RawRepresentable & CaseIterable>(_ name: String, _ label: String, _ type: T.Type, _ prefix: String,
                                                        _ selected: T?) -> [String: Any] where T.RawValue == String {
            ["name": name, "label": words[label],
             "options": [["value": "", "label": words["any"], "selected": selected == nil]]
                + T.allCases.map { ["value": $0.rawValue, "label": words["\(prefix)_\($0.rawValue)"], "selected": $0.rawValue == selected?.rawValue] }]
        }
        var next: String?
        if let after = page.next {
            var items = ["year=\(year)", "cursor=\(after)"]
            if let channel { items.append("channel=\(channel.rawValue)") }
            if let category { items.append("category=\(category.rawValue)") }
            if let purchaseStatus { items.append("status=\(purchaseStatus.rawValue)") }
            next = "/units/\(code)/purchases?" + items.joined(separator: "&")
        }
        let typed = form.isEmpty
            ? ["order_date": Self.today(), "channel": "platform832", "category": "canteenFood", "status": "completed"] : form
        var values: [String: Any] = [
            "unit": ["name": unit.profile.name, "creditCode": code], "year": year, "onPurchases": true, "canWrite": canWrite,
            "fields": Self.purchaseForm(typed, problems: problems, words: words),
            "filters": [filter("category", "category", PurchaseCategory.self, "category", category),
                        filter("channel", "channel", PurchaseChannel.self, "channel", channel),
                        filter("status", "orderStatus", PurchaseStatus.self, "purchaseStatus", purchaseStatus)],
            "purchases": page.purchases.map { Self.purchaseRow($0, words: words) }, "hasPurchases": !page.purchases.isEmpty,
        ]
        values["next"] = next
        values["saved"] = query["saved"].map(String.init)
        values["formError"] = formError
        return visit.page("purchases", values, status: status)
    }

    /// Records the purchase the form typed: back to the list when stored; the form again
    /// with what was typed and each bad field marked when not.
    @Sendable func recordPurchase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writePurchases, unit: code)
        let form = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value,
                                           maxSize: configuration.maxJSONBody)
        var typed: [String: String] = [:]
        for name in Self.purchaseFields { typed[name] = form[name] ?? "" }
        var fields = typed
        fields["credit_code"] = code
        let words = PageLanguage(code: request.cookies[PageLanguage.cookie]?.value).catalogue
        let decoded = ImportParser.purchase(fields: fields)
        guard let record = decoded.record else {
            return try await purchasesPage(request, context, form: typed, problems: decoded.problems,
                                           formError: words["formHasErrors"], status: .unprocessableContent)
        }
        do {
            let recorded = try await operations.recordPurchase(record, by: caller)
            let saved = recorded.purchase.record.orderNo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return .redirect(to: "/units/\(code)/purchases?year=\(record.orderDate.year)&saved=\(saved)", type: .normal)
        } catch let error as StoreError {
            guard case .conflict(let detail) = error else { throw error }
            return try await purchasesPage(request, context, form: typed,
                                           problems: [InputProblem(line: 0, field: "order_no", reason: detail)],
                                           formError: words["conflict"], status: .conflict)
        }
    }

    @Sendable func purchase(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await purchasePage(request, context, form: [:], problems: [], formError: nil, status: .ok)
    }

    /// A purchase's page, with its reversal form when the reader may write the unit's
    /// purchases and the purchase is an order.
    func purchasePage(_ request: Request, _ context: AppRequestContext, form: [String: String], problems: [InputProblem],
                      formError: String?, status: HTTPResponse.Status, finding: [String: String] = [:],
                      findingProblems: [InputProblem] = []) async throws -> Response {
        let caller = try context.requireCaller()
        let purchase = try await operations.purchase(id: try LedgerController.purchaseID(context), by: caller)
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        let words = visit.words
        var canReverse = purchase.record.reversalOf == nil
        if canReverse {
            do {
                try await operations.authorize(caller, .writePurchases, unit: purchase.creditCode.text)
            } catch AccessError.forbidden { canReverse = false }
        }
        let typed = form.isEmpty ? ["order_no": purchase.record.orderNo + "-R", "order_date": Self.today(),
                                    "amount": purchase.record.amount.yuanString] : form
        let fields: [[String: Any]] = [
            PageViews.field("order_no", label: "orderNo", value: typed["order_no"] ?? "", problems: problems, words: words, required: true),
            PageViews.field("order_date", label: "orderDate", value: typed["order_date"] ?? "", problems: problems, words: words,
                            required: true, type: "date"),
            PageViews.field("amount", label: "reversalAmount", value: typed["amount"] ?? "", problems: problems, words: words,
                            required: true),
        ]
        var canInspect = true
        do {
            _ = try await operations.purchase(id: purchase.id, for: .writeFindings, by: caller)
        } catch AccessError.forbidden { canInspect = false }
        let findings = try await operations.findings(purchase: purchase.id, by: caller).map { f -> [String: Any] in
            ["verdict": words["verdict_\(f.verdict)"], "reason": f.reason, "inspector": f.inspector, "recordedAt": f.recordedAt]
        }
        let verdictField = PageViews.choice(
            PageViews.field("verdict", label: "verdict", value: finding["verdict"] ?? "accept", problems: findingProblems, words: words),
            FindingVerdict.allCases.map { ($0.rawValue, "verdict_\($0.rawValue)") }, words: words)
        let reasonField = PageViews.field("reason", label: "findingReason", value: finding["reason"] ?? "",
                                          problems: findingProblems, words: words)
        var values: [String: Any] = ["purchase": Self.purchaseRow(purchase, words: words), "canReverse": canReverse,
                                     "fields": fields, "canInspect": canInspect, "findings": findings,
                                     "hasFindings": !findings.isEmpty, "findingFields": [verdictField, reasonField]]
        values["formError"] = formError
        if request.uri.queryParameters["saved"] == "finding" { values["saved"] = words["findingSaved"] }
        if !findingProblems.isEmpty { values["findingError"] = words["formHasErrors"] }
        return visit.page("purchase", values, status: status)
    }

    /// Records an inspector's finding on the purchase (accept, reject with a reason, note).
    @Sendable func recordFinding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try LedgerController.purchaseID(context)
        _ = try await operations.purchase(id: id, for: .writeFindings, by: caller)
        let form = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value,
                                           maxSize: configuration.maxJSONBody)
        let typed = ["verdict": form["verdict"] ?? "", "reason": form["reason"] ?? ""]
        guard let verdict = FindingVerdict(rawValue: typed["verdict"] ?? "") else {
            return try await purchasePage(request, context, form: [:], problems: [], formError: nil, status: .unprocessableContent,
                                          finding: typed, findingProblems: [InputProblem.field("verdict", "is not accept, reject or note")])
        }
        do {
            _ = try await operations.recordFinding(purchase: id, verdict: verdict, reason: typed["reason"] ?? "", by: caller)
        } catch ImportError.rejected(let problems) {
            return try await purchasePage(request, context, form: [:], problems: [], formError: nil, status: .unprocessableContent,
                                          finding: typed, findingProblems: problems)
        }
        return .redirect(to: "/purchases/\(id)?saved=finding", type: .normal)
    }

    /// Books a reversal of the purchase: a new, negative purchase; the original is kept.
    @Sendable func reversePurchase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let id = try LedgerController.purchaseID(context)
        let original = try await operations.purchase(id: id, for: .writePurchases, by: caller)
        let form = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value,
                                           maxSize: configuration.maxJSONBody)
        let words = PageLanguage(code: request.cookies[PageLanguage.cookie]?.value).catalogue
        var typed: [String: String] = [:]
        for name in ["order_no", "order_date", "amount"] { typed[name] = form[name] ?? "" }
        var problems: [InputProblem] = []
        var orderNo: String?, day: CalendarDate?, amount: Money?
        do { orderNo = try FieldValue.orderNumber(String(FieldValue.trimmed(typed["order_no"] ?? ""))) } catch {
            problems.append(InputProblem(line: 0, field: "order_no", reason: error.reason))
        }
        do { day = try CalendarDate(parsingISO: typed["order_date"] ?? "") } catch {
            problems.append(InputProblem(line: 0, field: "order_date", reason: "\(error)"))
        }
        do { amount = try Money(parsingYuan: typed["amount"] ?? "") } catch {
            problems.append(InputProblem(line: 0, field: "amount", reason: "\(error)"))
        }
        guard let orderNo, let day, let amount, problems.isEmpty else {
            return try await purchasePage(request, context, form: typed, problems: problems, formError: words["formHasErrors"],
                                          status: .unprocessableContent)
        }
        do {
            _ = try await operations.reversePurchase(id: id, orderNo: orderNo, orderDate: day, amount: amount, by: caller,
                                                     answer: { _ in KeptAnswer(status: 201, body: "") })
        } catch ImportError.rejected(let found) {
            // The reversal's own checks name the API's fields.
            let names = ["orderNo": "order_no", "orderDate": "order_date", "amount": "amount"]
            let problems = found.map { InputProblem(line: 0, field: names[$0.field] ?? "amount", reason: $0.reason) }
            return try await purchasePage(request, context, form: typed, problems: problems,
                                          formError: words["formHasErrors"], status: .unprocessableContent)
        } catch let error as StoreError {
            let detail: String
            switch error {
            case .conflict(let text): detail = text
            case .refused: detail = error.description
            default: throw error
            }
            return try await purchasePage(request, context, form: typed,
                                          problems: [InputProblem(line: 0, field: "amount", reason: detail)],
                                          formError: words["conflict"], status: .conflict)
        }
        let saved = orderNo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return .redirect(to: "/units/\(original.creditCode.text)/purchases?year=\(original.record.orderDate.year)&saved=\(saved)",
                         type: .normal)
    }
}
