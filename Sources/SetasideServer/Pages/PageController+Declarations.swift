import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// A unit's yearly declaration as a page: its state (a returned one's reason shown), the
/// form with every field of a declarations file (decoded and checked as a file's row is),
/// and every version stored.
extension PageController {
    func addDeclarationRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("units/{creditCode}/declaration", use: declaration)
        pages.post("units/{creditCode}/declaration", use: declare)
        pages.post("units/{creditCode}/declaration/return", use: returnDeclaration)
    }

    static let declarationFields = ["canteen_food_total", "reserved_amount", "union_welfare_budget", "has_canteen",
                                    "canteen_mode", "declared_by", "union_purchase_need", "declared_ratio"]
    static let waiverFields = ["approved_ratio", "approval_document", "approved_by", "approved_on"]

    /// The form's values of a stored declaration, as a declarations file writes them.
    static func typed(_ d: Declaration) -> [String: String] {
        var values = ["canteen_food_total": d.canteenFoodTotal.yuanString, "reserved_amount": d.reservedAmount.yuanString,
                      "union_welfare_budget": d.unionWelfareBudget.yuanString]
        values["has_canteen"] = d.hasCanteen.map(String.init)
        values["canteen_mode"] = d.canteenMode?.rawValue
        values["declared_by"] = d.declaredBy
        values["union_purchase_need"] = d.unionPurchaseNeed.map(String.init)
        values["declared_ratio"] = d.declaredBasisPoints.map { Ratio.text(basisPoints: $0) }
        values["approved_ratio"] = d.waiver.map { Ratio.text(basisPoints: $0.basisPoints) }
        values["approval_document"] = d.waiver?.document
        values["approved_by"] = d.waiver?.approvedBy
        values["approved_on"] = d.waiver?.approvedOn?.iso
        return values
    }

    static func declarationForm(_ names: [String], _ values: [String: String], problems: [InputProblem],
                                words: PageCatalogue) -> [[String: Any]] {
        let yesNo = [("", "notGiven"), ("true", "yes"), ("false", "no")]
        return names.map { name in
            let field = PageViews.field(name, label: name, value: values[name] ?? "", problems: problems, words: words,
                                        required: ["canteen_food_total", "reserved_amount", "union_welfare_budget"].contains(name),
                                        type: name == "approved_on" ? "date" : nil)
            switch name {
            case "has_canteen", "union_purchase_need": return PageViews.choice(field, yesNo, words: words)
            case "canteen_mode":
                return PageViews.choice(field, [("", "notGiven")] + CanteenMode.allCases.map { ($0.rawValue, "canteenMode_\($0.rawValue)") },
                                        words: words)
            default: return field
            }
        }
    }

    @Sendable func declaration(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await declarationPage(request, context, form: nil, problems: [], formError: nil, status: .ok)
    }

    func declarationPage(_ request: Request, _ context: AppRequestContext, form: [String: String]?, problems: [InputProblem],
                         formError: String?, status: HTTPResponse.Status, returnReason: String = "",
                         returnProblems: [InputProblem] = []) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let (year, current) = Self.year(request)
        let history = try await operations.declarationHistory(of: code, year: year, by: caller)
        let report = try await report({ ReportScope(year: $0, unit: code, asOf: $1) }, year: year, caller: caller)
        guard let unit = report.units.first else { throw AccessError.notFound("unit \(code)") }
        var canWrite = true, canReview = history.latest != nil && !history.isReturned
        do { try await operations.authorize(caller, .writeDeclarations, unit: code) } catch AccessError.forbidden { canWrite = false }
        if canReview {
            do { try await operations.authorize(caller, .reviewDeclarations, unit: code) } catch AccessError.forbidden { canReview = false }
        }
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        let words = visit.words
        let typed = form ?? (history.latest.map { Self.typed($0.declaration) } ?? [:])
        let versions: [[String: Any]] = history.versions.reversed().map { v in
            ["version": v.version, "total": v.declaration.canteenFoodTotal.groupedYuanString,
             "reserved": v.declaration.reservedAmount.groupedYuanString, "storedAt": v.storedAt ?? "",
             "storedBy": v.storedBy ?? "", "returned": v.returned?.reason ?? ""]
        }
        var values: [String: Any] = [
            "unit": ["name": unit.name, "creditCode": code], "year": year, "onDeclaration": true, "canWrite": canWrite,
            "years": PageViews.years(selected: year, current: current),
            "declaration": PageViews.declaration(unit, words),
            "fields": Self.declarationForm(Self.declarationFields, typed, problems: problems, words: words),
            "waiverFields": Self.declarationForm(Self.waiverFields, typed, problems: problems, words: words),
            "versions": versions, "hasVersions": !versions.isEmpty, "canReview": canReview,
        ]
        values["returnFields"] = [PageViews.field("reason", label: "returnReason", value: returnReason, problems: returnProblems,
                                                  words: words, required: true)]
        values["formError"] = formError
        switch request.uri.queryParameters["saved"] {
        case "stored": values["saved"] = words["declarationSaved"]
        case "unchanged": values["saved"] = words["declarationUnchanged"]
        case "returned": values["saved"] = words["declarationReturned"]
        default: break
        }
        return visit.page("declaration", values, status: status)
    }

    /// Stores the declaration the form typed (a new version when it differs from the
    /// latest), or shows the form again with each bad field marked.
    @Sendable func declare(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writeDeclarations, unit: code)
        let (year, _) = Self.year(request)
        let form = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value,
                                           maxSize: configuration.maxJSONBody)
        var typed: [String: String] = [:]
        for name in Self.declarationFields + Self.waiverFields { typed[name] = form[name] ?? "" }
        var fields = typed
        fields["credit_code"] = code
        fields["year"] = String(year)
        let words = PageLanguage(code: request.cookies[PageLanguage.cookie]?.value).catalogue
        let decoded = ImportParser.declaration(fields: fields)
        guard let record = decoded.record else {
            return try await declarationPage(request, context, form: typed, problems: decoded.problems,
                                             formError: words["formHasErrors"], status: .unprocessableContent)
        }
        let (_, stored) = try await operations.declare(record.declaration, of: code, by: caller)
        return .redirect(to: "/units/\(code)/declaration?year=\(year)&saved=\(stored ? "stored" : "unchanged")", type: .normal)
    }

    /// Returns (退回) the latest version with a reason: the unit declares again.
    @Sendable func returnDeclaration(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .reviewDeclarations, unit: code)
        let (year, _) = Self.year(request)
        let form = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value,
                                           maxSize: configuration.maxJSONBody)
        let reason = form["reason"] ?? ""
        do {
            _ = try await operations.returnDeclaration(of: code, year: year, reason: reason, by: caller)
        } catch ImportError.rejected(let problems) {
            return try await declarationPage(request, context, form: nil, problems: [], formError: nil,
                                             status: .unprocessableContent, returnReason: reason, returnProblems: problems)
        }
        return .redirect(to: "/units/\(code)/declaration?year=\(year)&saved=returned", type: .normal)
    }
}
