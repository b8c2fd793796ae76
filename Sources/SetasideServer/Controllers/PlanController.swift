import Hummingbird
import SetasideCore
import SetasideStore

/// Yearly declarations (read, write), assignments and directed agreements (read; write by admins).
struct PlanController {
    let store: Store
    let configuration: ServerConfiguration
    let authorizer: Authorizer

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("units/{creditCode}/declarations/{year}", use: getDeclaration)
        router.put("units/{creditCode}/declarations/{year}", use: putDeclaration)
        router.get("units/{creditCode}/assignments", use: assignments)
        router.post("units/{creditCode}/assignments", use: addAssignment)
        router.get("units/{creditCode}/agreements", use: agreements)
        router.post("units/{creditCode}/agreements", use: addAgreement)
    }

    func year(_ context: AppRequestContext) throws -> Int {
        let text = try context.parameters.require("year")
        guard let year = Int(text), (2000...2999).contains(year) else {
            throw Problem.validation([ImportProblem(line: 0, field: "year", reason: "'\(text)' is not a year")])
        }
        return year
    }

    @Sendable func getDeclaration(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        let year = try year(context)
        try await authorizer.require(account, .read, unit: code)
        guard let declaration = try await store.declaration(of: code, year: year) else {
            throw Problem.notFound("no declaration of \(code) for \(year)")
        }
        return JSONResponse(Views.declaration(declaration, creditCode: code))
    }

    @Sendable func putDeclaration(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        let year = try year(context)
        try await authorizer.require(account, .writeDeclarations, unit: code)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           allowed: ["canteenFoodTotal", "reservedAmount", "unionWelfareBudget"])
        var figures: [Money] = []
        for field in ["canteenFoodTotal", "reservedAmount", "unionWelfareBudget"] {
            guard let money = body.money(field) else { continue }
            if money < .zero { body.problem(field, "\(money.yuanString) is negative") } else { figures.append(money) }
        }
        try body.finish()
        let declaration = Declaration(year: year, canteenFoodTotal: figures[0], reservedAmount: figures[1],
                                      unionWelfareBudget: figures[2])
        let created = try await store.putDeclaration(declaration, of: code, actor: account.actor)
        return JSONResponse(Views.declaration(declaration, creditCode: code), status: created ? .created : .ok)
    }

    @Sendable func assignments(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .read, unit: code)
        return JSONResponse(Views.list(try await store.assignments(of: code).map(Views.assignment)))
    }

    @Sendable func agreements(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .read, unit: code)
        return JSONResponse(Views.list(try await store.agreements(of: code).map(Views.agreement)))
    }

    @Sendable func addAssignment(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .writeLinks, unit: code)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           allowed: ["villageCode", "yearFrom", "yearTo"])
        let village = body.string("villageCode"), from = body.integer("yearFrom"), to = body.integer("yearTo")
        try body.finish()
        let row = [code, village ?? "", from.map(String.init) ?? "", to.map(String.init) ?? ""]
        let summary = try await link(.assignments, row, actor: account.actor,
                                     names: ["village_code": "villageCode", "year_from": "yearFrom", "year_to": "yearTo"])
        return JSONResponse(Views.assignment(AssignmentView(villageCode: village ?? "", yearFrom: from ?? 0, yearTo: to ?? 0)),
                            status: summary.inserted > 0 ? .created : .ok)
    }

    @Sendable func addAgreement(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .writeLinks, unit: code)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           allowed: ["villageCode", "validFrom", "validTo"])
        let village = body.string("villageCode"), from = body.date("validFrom"), to = body.date("validTo")
        try body.finish()
        let row = [code, village ?? "", from?.iso ?? "", to?.iso ?? ""]
        let summary = try await link(.agreements, row, actor: account.actor,
                                     names: ["village_code": "villageCode", "valid_from": "validFrom", "valid_to": "validTo"])
        return JSONResponse(Views.agreement(AgreementView(villageCode: village ?? "", validFrom: from?.iso ?? "",
                                                          validTo: to?.iso ?? "")),
                            status: summary.inserted > 0 ? .created : .ok)
    }

    /// Stores an assignment or agreement through the importer; its problems are named by JSON field.
    func link(_ kind: ImportKind, _ row: [String], actor: String, names: [String: String]) async throws -> ImportSummary {
        do {
            return try await store.addLink(kind, csvRow: row.map(CSVTable.field).joined(separator: ","), actor: actor)
        } catch ImportError.rejected(let problems) {
            let conflict = problems.first { $0.reason.contains("is stored until") }
            if let conflict { throw StoreError.conflict(conflict.reason) }
            throw Problem.validation(problems.map { ImportProblem(line: 0, field: names[$0.field] ?? $0.field, reason: $0.reason) })
        }
    }
}
