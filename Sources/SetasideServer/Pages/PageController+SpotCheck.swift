import Foundation
import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// Drawing a reproducible spot check of a region's purchases as a page: year, size and
/// seed in, the sample out, each purchase linked to its page (findings are recorded there).
extension PageController {
    func addSpotCheckRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("regions/{code}/spot-check", use: spotCheckForm)
        pages.post("regions/{code}/spot-check", use: drawSpotCheck)
    }

    @Sendable func spotCheckForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, year, _) = try regionScope(request, context)
        return try await spotCheckPage(request, context, typed: ["year": String(year), "size": "20", "seed": Self.today()],
                                       problems: [], sample: nil, status: .ok)
    }

    func spotCheckPage(_ request: Request, _ context: AppRequestContext, typed: [String: String], problems: [InputProblem],
                       sample: SpotCheck?, status: HTTPResponse.Status) async throws -> Response {
        let caller = try context.requireCaller()
        let (code, year, _) = try regionScope(request, context)
        try operations.authorizeRole(caller, .writeFindings)
        try await operations.authorizeRegion(caller, code)
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        let words = visit.words
        let fields: [[String: Any]] = [
            PageViews.field("year", label: "year", value: typed["year"] ?? "", problems: problems, words: words, required: true),
            PageViews.field("size", label: "sampleSize", value: typed["size"] ?? "", problems: problems, words: words, required: true),
            PageViews.field("seed", label: "seed", value: typed["seed"] ?? "", problems: problems, words: words, required: true),
        ]
        let regionName = try await operations.region(code)?.name ?? code
        var values: [String: Any] = ["region": ["code": code, "name": regionName], "year": year, "fields": fields,
                                     "includeAll": typed["includeAll"] == "true"]
        if !problems.isEmpty { values["formError"] = words["formHasErrors"] }
        if let sample {
            values["sample"] = ["size": sample.purchases.count, "population": sample.population, "seed": sample.seed,
                                "purchases": sample.purchases.map { Self.purchaseRow($0, words: words) }] as [String: Any]
        }
        return visit.page("spot-check", values, status: status)
    }

    @Sendable func drawSpotCheck(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (code, _, _) = try regionScope(request, context)
        let form = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value,
                                           maxSize: configuration.maxJSONBody)
        var typed: [String: String] = [:]
        for name in ["year", "size", "seed", "includeAll"] { typed[name] = form[name] ?? "" }
        var problems: [InputProblem] = []
        var year: Int?
        do { year = try Year(parsing: typed["year"] ?? "").value } catch {
            problems.append(InputProblem.field("year", error.reason))
        }
        let size = Int((typed["size"] ?? "").trimmingCharacters(in: .whitespaces))
        if size == nil { problems.append(InputProblem.field("size", "is not a whole number")) }
        guard let year, let size, problems.isEmpty else {
            return try await spotCheckPage(request, context, typed: typed, problems: problems, sample: nil,
                                           status: .unprocessableContent)
        }
        do {
            // The size and seed are the operation's to check, as for the API.
            let sample = try await operations.drawSpotCheck(region: code, year: year, size: size, seed: typed["seed"] ?? "",
                                                            includeAll: typed["includeAll"] == "true", by: caller)
            return try await spotCheckPage(request, context, typed: typed, problems: [], sample: sample, status: .ok)
        } catch ImportError.rejected(let found) {
            return try await spotCheckPage(request, context, typed: typed, problems: found, sample: nil,
                                           status: .unprocessableContent)
        }
    }
}
