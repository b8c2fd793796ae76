import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// Yearly declarations (read, write, return), assignments and directed agreements (read; write by admins).
struct PlanController {
    let operations: Operations
    let configuration: ServerConfiguration

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("units/{creditCode}/declarations/{year}", use: getDeclaration)
        router.put("units/{creditCode}/declarations/{year}", use: putDeclaration)
        router.post("units/{creditCode}/declarations/{year}/return", use: returnDeclaration)
        router.get("units/{creditCode}/assignments") { try await links(Year.self, $0, $1) }
        router.post("units/{creditCode}/assignments") { try await addLink(Year.self, $0, $1) }
        router.get("units/{creditCode}/agreements") { try await links(CalendarDate.self, $0, $1) }
        router.post("units/{creditCode}/agreements") { try await addLink(CalendarDate.self, $0, $1) }
    }

    func year(_ context: AppRequestContext) throws -> Int {
        let text = try context.parameters.require("year")
        do {
            return try Year(parsing: text).value
        } catch {
            throw Problem.validation([InputProblem.field("year", error.reason)])
        }
    }

    @Sendable func getDeclaration(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let year = try year(context)
        let history = try await operations.declarationHistory(of: code, year: year, by: caller)
        guard let view = Views.declaration(history, creditCode: code) else {
            throw Problem.notFound("no declaration of \(code) for \(year)")
        }
        return JSONResponse(view)
    }

    @Sendable func putDeclaration(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let year = try year(context)
        try await operations.authorize(caller, .writeDeclarations, unit: code)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           as: .declaration)
        var figures: [Money] = []
        for field in ["canteenFoodTotal", "reservedAmount", "unionWelfareBudget"] {
            guard let money = body.money(field) else { continue }
            if money < .zero { body.problem(field, "\(money.yuanString) is negative") } else { figures.append(money) }
        }
        var details = Declaration.Details()
        details.hasCanteen = body.optionalBool("hasCanteen")
        details.canteenMode = body.optionalChoice("canteenMode", CanteenMode.self)
        if let code = body.string("declaredBy", required: false) { details.declaredBy = body.unit(code, field: "declaredBy")?.text }
        details.unionPurchaseNeed = body.optionalBool("unionPurchaseNeed")
        details.declaredBasisPoints = body.optional("declaredRatio", Ratio.basisPoints)
        details.approvedBasisPoints = body.optional("approvedRatio", Ratio.basisPoints)
        details.approvalDocument = body.optional("approvalDocument", FieldValue.name)
        details.approvedBy = body.optional("approvedBy", FieldValue.name)
        details.approvedOn = body.date("approvedOn", required: false)
        if body.problems.isEmpty {
            for (column, reason) in details.problems { body.problem(InputProblem.field(column, reason).inJSONTerms.field, reason) }
        }
        try body.finish()
        let declaration = Declaration(year: year, canteenFoodTotal: figures[0], reservedAmount: figures[1],
                                      unionWelfareBudget: figures[2]).with(details)
        let (history, stored) = try await operations.declare(declaration, of: code, by: caller)
        return JSONResponse(Views.declaration(history, creditCode: code) ?? "{}", status: stored ? .created : .ok)
    }

    /// Returns (退回) the latest version with a reason (inspectors of the unit's region or
    /// supervising unit, admins): 201 with the declaration after; 404 when the year has
    /// none; 409 when the latest version was returned already, or is not `version`.
    @Sendable func returnDeclaration(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let year = try year(context)
        try await operations.authorize(caller, .reviewDeclarations, unit: code)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, as: .declarationReturn)
        let reason = body.string("reason", maxLength: FieldValue.maxNoteLength)
        let version = body.integer("version", required: false)
        try body.finish()
        guard let reason else { throw Problem.validation(body.problems) }
        let history = try await operations.returnDeclaration(of: code, year: year, version: version, reason: reason, by: caller)
        return JSONResponse(Views.declaration(history, creditCode: code) ?? "{}", status: .created)
    }

    /// A unit's assignments (`Year`) or agreements (`CalendarDate`).
    func links<Bound: JSONLinkBound>(_ bound: Bound.Type, _ request: Request, _ context: AppRequestContext)
        async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        return JSONResponse(Views.list(try await operations.links(of: code, bound, by: caller).map(Views.link)))
    }

    /// Adds an assignment or an agreement (admins): 201 when new, 200 when stored already,
    /// 409 when stored from the same first year or day with another last one.
    func addLink<Bound: JSONLinkBound>(_ bound: Bound.Type, _ request: Request, _ context: AppRequestContext)
        async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writeLinks, unit: code)
        let kind = Bound.linkKind
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, as: WireBody.link(bound))
        let village = body.division("villageCode")
        let from = Bound.read(&body, kind.jsonFrom), to = Bound.read(&body, kind.jsonTo)
        let unit = body.unit(code)
        try body.finish()
        guard let village, let from, let to, let unit else { throw Problem.validation(body.problems) }
        // Its problems are a request's: named by JSON field where they are rendered.
        let link = try VillageLink.checked(creditCode: unit, villageCode: village, from: from, to: to)
        let created = try await operations.addLink(link, by: caller)
        return JSONResponse(Views.link(link), status: created ? .created : .ok)
    }
}
