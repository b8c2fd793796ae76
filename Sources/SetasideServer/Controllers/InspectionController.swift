import Foundation
import Hummingbird
import SetasideCore
import SetasideStore

/// Findings, spot checks and compliance reports.
struct InspectionController {
    let store: Store
    let configuration: ServerConfiguration
    let authorizer: Authorizer

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.post("purchases/{id}/findings", use: addFinding)
        router.post("spot-checks", use: spotCheck)
        router.get("units/{creditCode}/compliance", use: unitCompliance)
        router.get("regions/{code}/compliance", use: regionCompliance)
    }

    @Sendable func addFinding(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let text = try context.parameters.require("id")
        guard let id = Int64(text), let purchase = try await store.purchase(id: id) else {
            throw Problem.notFound("purchase \(text) not found")
        }
        try await authorizer.require(account, .writeFindings, unit: purchase.creditCode, subject: "purchase \(purchase.id)")
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, allowed: ["verdict", "reason"])
        let verdict = body.string("verdict")
        let reason = body.string("reason", required: false) ?? ""
        if let verdict, !["accept", "reject", "note"].contains(verdict) {
            body.problem("verdict", "'\(verdict)' is not one of accept, reject, note")
        }
        if verdict == "reject", FieldValue.trimmed(reason).isEmpty {
            body.problem("reason", "a rejection needs a reason")
        }
        try body.finish()
        let finding = try await store.addFinding(purchase: purchase, verdict: verdict ?? "note", reason: reason,
                                                 inspector: account.login, actor: account.actor)
        return JSONResponse(Views.finding(finding), status: .created)
    }

    @Sendable func spotCheck(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        try authorizer.requireRole(account, .writeFindings)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           allowed: ["region", "year", "size", "seed"])
        let region = body.string("region"), year = body.integer("year"), size = body.integer("size")
        let seed = body.text("seed")
        if let year, !(2000...2999).contains(year) { body.problem("year", "\(year) is not a year") }
        if let size, !(1...10_000).contains(size) { body.problem("size", "must be from 1 to 10000") }
        if let seed, seed.isEmpty || seed.count > 200 { body.problem("seed", "must have 1 to 200 characters") }
        try body.finish()
        guard let region, let year, let size, let seed else { throw Problem.validation(body.problems) }
        try await authorizer.requireRegion(account, region)
        let check = try await store.spotCheck(region: region, year: year, size: size, seed: seed, actor: account.actor)
        return JSONResponse("{\"region\": \(JSONText.string(check.region)), \"year\": \(check.year), "
                            + "\"seed\": \(JSONText.string(check.seed)), \"size\": \(size), \"population\": \(check.population), "
                            + "\"purchases\": [\(check.purchases.map(Views.purchase).joined(separator: ", "))]}",
                            status: .created)
    }

    func year(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["year"] else {
            throw Problem.validation([ImportProblem(line: 0, field: "year", reason: "is required (?year=2024)")])
        }
        guard let year = Int(String(text)), (2000...2999).contains(year) else {
            throw Problem.validation([ImportProblem(line: 0, field: "year", reason: "'\(text)' is not a year")])
        }
        return year
    }

    /// `?asOf=YYYY-MM-DD`, the day the report is made; today in China's time when absent.
    func asOf(_ request: Request) throws -> CalendarDate? {
        guard let text = request.uri.queryParameters["asOf"] else {
            return CalendarDate.inChina(unixSeconds: Int64(Date().timeIntervalSince1970))
        }
        do {
            return try CalendarDate(parsingISO: String(text))
        } catch {
            throw Problem.validation([ImportProblem(line: 0, field: "asOf", reason: "\(error)")])
        }
    }

    @Sendable func unitCompliance(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("creditCode")
        try await authorizer.require(account, .read, unit: code)
        let report = try await store.complianceReport(ReportScope(year: try year(request), unit: code, asOf: try asOf(request)))
        return JSONResponse(report.json())
    }

    @Sendable func regionCompliance(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let account = try context.requireAccount()
        let code = try context.parameters.require("code")
        try await authorizer.requireRegion(account, code)
        let report = try await store.complianceReport(ReportScope(year: try year(request), region: code, asOf: try asOf(request)))
        return JSONResponse(report.json())
    }
}
