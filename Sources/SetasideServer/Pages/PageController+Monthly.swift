import Foundation
import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// A unit's or a region's canteen-share spend by month against the pace needed, as an
/// SVG chart and a table. Its own page: it takes a report per month.
extension PageController {
    func addMonthlyRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("units/{creditCode}/monthly", use: unitMonthly)
        pages.get("regions/{code}/monthly", use: regionMonthly)
    }

    @Sendable func unitMonthly(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let unit = try await operations.unit(code, by: caller)
        return try await monthlyPage(request, context, scope: { ReportScope(year: $0, unit: code) }, heading: unit.profile.name,
                                     code: code, extra: ["unit": ["name": unit.profile.name, "creditCode": code], "onMonthly": true],
                                     path: "/units/\(code)/monthly")
    }

    @Sendable func regionMonthly(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (code, _, _) = try regionScope(request, context)
        try await operations.authorizeRegion(caller, code)
        let name = try await operations.region(code)?.name ?? code
        return try await monthlyPage(request, context, scope: { ReportScope(year: $0, region: code) }, heading: name, code: code,
                                     extra: ["region": ["name": name, "code": code]], path: "/regions/\(code)/monthly")
    }

    func monthlyPage(_ request: Request, _ context: AppRequestContext, scope: (Int) -> ReportScope, heading: String,
                     code: String, extra: [String: Any], path: String) async throws -> Response {
        let caller = try context.requireCaller()
        let (year, current) = Self.year(request)
        let today = Self.todayInChina()
        let progress = try await operations.monthlyProgress(scope(year), today: today, by: caller)
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        var values: [String: Any] = ["heading": heading, "code": code, "year": year, "path": path,
                                     "years": PageViews.years(selected: year, current: current), "hasProgress": progress != nil]
        if let progress {
            values["svg"] = PageChart.svg(progress, words: visit.words)
            values["rows"] = PageChart.rows(progress, words: visit.words)
            values["ruleName"] = progress.name
            values["required"] = "\(progress.required.groupedYuanString) \(visit.words["yuan"])"
        }
        values.merge(extra) { _, new in new }
        return visit.page("monthly", values)
    }
}
