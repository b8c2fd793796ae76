import Hummingbird
import SetasideCore
import SetasideStore

/// Units, regions and policy packs (read).
struct RegistryController {
    let store: Store
    let authorizer: Authorizer

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("units", use: units)
        router.get("units/{creditCode}", use: unit)
        router.get("regions", use: regions)
        router.get("policies", use: policies)
    }

    @Sendable func units(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let limit = try Paging.limit(request)
        let page = try await store.units(visibleTo: account, after: request.uri.queryParameters["cursor"].map(String.init),
                                         limit: limit)
        return JSONResponse(Views.list(page.units.map(Views.unit), next: page.next))
    }

    @Sendable func unit(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .read, unit: code)
        guard let unit = try await store.unit(code) else { throw Problem.notFound("unit \(code) not found") }
        return JSONResponse(Views.unit(unit))
    }

    @Sendable func regions(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        _ = try context.requireAccount()
        let under = request.uri.queryParameters["under"].map(String.init)
        return JSONResponse(Views.list(try await store.regions(under: under).map(Views.region)))
    }

    @Sendable func policies(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        _ = try context.requireAccount()
        return JSONResponse(Views.list(try await store.policyPacks().map(Views.pack)))
    }
}

/// `limit` and `cursor` query parameters.
enum Paging {
    static func limit(_ request: Request, default value: Int = 100, maximum: Int = 1000) throws -> Int {
        guard let text = request.uri.queryParameters["limit"] else { return value }
        guard let limit = Int(String(text)), (1...maximum).contains(limit) else {
            throw Problem.validation([ImportProblem(line: 0, field: "limit", reason: "must be a whole number from 1 to \(maximum)")])
        }
        return limit
    }
}
