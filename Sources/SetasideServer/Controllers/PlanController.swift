import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// Yearly declarations (read, write), assignments and directed agreements (read; write by admins).
struct PlanController {
    let operations: Operations
    let configuration: ServerConfiguration

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
        do {
            return try Year(parsing: text).value
        } catch {
            throw Problem.validation([ImportProblem(line: 0, field: "year", reason: error.reason)])
        }
    }

    @Sendable func getDeclaration(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let year = try year(context)
        guard let declaration = try await operations.declaration(of: code, year: year, by: caller) else {
            throw Problem.notFound("no declaration of \(code) for \(year)")
        }
        return JSONResponse(Views.declaration(declaration, creditCode: code))
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
        try body.finish()
        let declaration = Declaration(year: year, canteenFoodTotal: figures[0], reservedAmount: figures[1],
                                      unionWelfareBudget: figures[2])
        let created = try await operations.declare(declaration, of: code, by: caller)
        return JSONResponse(Views.declaration(declaration, creditCode: code), status: created ? .created : .ok)
    }

    @Sendable func assignments(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        return JSONResponse(Views.list(try await operations.assignments(of: code, by: caller).map(Views.assignment)))
    }

    @Sendable func agreements(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        return JSONResponse(Views.list(try await operations.agreements(of: code, by: caller).map(Views.agreement)))
    }

    @Sendable func addAssignment(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writeLinks, unit: code)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           as: .assignment)
        let village = body.division("villageCode"), from = body.integer("yearFrom"), to = body.integer("yearTo")
        let unit = body.unit(code)
        try body.finish()
        guard let village, let from, let to, let unit else { throw Problem.validation(body.problems) }
        let record = try Self.checked { () throws(ImportError) in
            try AssignmentRecord.checked(creditCode: unit, villageCode: village, yearFrom: from, yearTo: to)
        }
        let created = try await operations.assign(record, by: caller)
        return JSONResponse(Views.assignment(AssignmentView(villageCode: village.text, yearFrom: from, yearTo: to)),
                            status: created ? .created : .ok)
    }

    @Sendable func addAgreement(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writeLinks, unit: code)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           as: .agreement)
        let village = body.division("villageCode"), from = body.date("validFrom"), to = body.date("validTo")
        let unit = body.unit(code)
        try body.finish()
        guard let village, let from, let to, let unit else { throw Problem.validation(body.problems) }
        let record = try Self.checked { () throws(ImportError) in
            try AgreementRecord.checked(creditCode: unit, villageCode: village, validFrom: from, validTo: to)
        }
        let created = try await operations.agree(record, by: caller)
        return JSONResponse(Views.agreement(AgreementView(villageCode: village.text, validFrom: from.iso, validTo: to.iso)),
                            status: created ? .created : .ok)
    }

    /// The record `make` builds; its problems named as the JSON body names its fields.
    static func checked<Record>(_ make: () throws(ImportError) -> Record) throws -> Record {
        do {
            return try make()
        } catch .rejected(let problems) {
            throw Problem.validation(problems.map(\.inJSONTerms))
        } catch {
            throw error
        }
    }
}
