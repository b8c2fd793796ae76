import Hummingbird
import SetasideCore
import SetasideOperations

/// Units, regions and policy packs (read).
struct RegistryController {
    let operations: Operations

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("units", use: units)
        router.get("units/{creditCode}", use: unit)
        router.get("regions", use: regions)
        router.get("policies", use: policies)
    }

    @Sendable func units(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        guard let account = context.identity else { throw Problem.unauthorized() }
        let limit = try Paging.limit(request)
        // A page of units ends at a credit code, which is the next page's cursor.
        var cursor: String?
        if let text = request.uri.queryParameters["cursor"] {
            guard let code = try? CreditCode(parsing: text), code.text == String(text) else {
                throw Problem.validation([InputProblem.field("cursor", "is not a cursor from a previous page")])
            }
            cursor = code.text
        }
        let page = try await operations.units(visibleTo: account, after: cursor, limit: limit)
        return JSONResponse(Views.list(page.units.map(Views.unit), next: page.next))
    }

    @Sendable func unit(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        return JSONResponse(Views.unit(try await operations.unit(code, by: caller)))
    }

    @Sendable func regions(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        var problems: [InputProblem] = []
        let under = DivisionCodeParameter.read("under", of: request, into: &problems)
        if !problems.isEmpty { throw Problem.validation(problems) }
        return JSONResponse(Views.list(try await operations.regions(under: under).map(Views.region)))
    }

    @Sendable func policies(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        JSONResponse(Views.list(try await operations.policyPacks().map(Views.pack)))
    }
}

/// `limit` and `cursor` query parameters.
enum Paging {
    static func limit(_ request: Request, default value: Int = 100, maximum: Int = 1000) throws -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return value }
        guard let limit = Int(String(text)), (1...maximum).contains(limit) else {
            throw Problem.validation([InputProblem.field("limit", "must be a whole number from 1 to \(maximum)")])
        }
        return limit
    }
}
