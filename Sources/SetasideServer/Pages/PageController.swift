import Foundation
import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// The web pages for clerks and inspectors, server-rendered from the Mustache templates:
/// sign-in and sign-out, a clerk's dashboard of a unit, an inspector's overview of a
/// region. They call the same operations as the API; they only read requests and render.
struct PageController {
    let operations: Operations
    let configuration: ServerConfiguration
    /// Uploads checked by a dry run, waiting for their confirmation.
    let uploads = PendingUploads()

    func addRoutes(to router: Router<AppRequestContext>) {
        let pages = router.group()
            .add(middleware: PageErrorMiddleware())
            .add(middleware: PageAuthenticator(operations: operations))
        pages.get("assets/site.css", use: stylesheet)
        pages.get("language/{code}", use: language)
        pages.get("sign-in", use: signInForm)
        pages.post("sign-in", use: signIn)
        pages.post("sign-out", use: signOut)
        pages.get("", use: home)
        let signedIn = pages.group().add(middleware: RequirePageAccountMiddleware())
        signedIn.get("units/{creditCode}", use: dashboard)
        signedIn.get("regions/{code}", use: overview)
        signedIn.get("supervising/{creditCode}", use: supervisingOverview)
        addPurchaseRoutes(to: signedIn)
        addDeclarationRoutes(to: signedIn)
        addUploadRoutes(to: signedIn)
        addNoticeRoutes(to: signedIn)
        addSpotCheckRoutes(to: signedIn)
        addMonthlyRoutes(to: signedIn)
    }

    @Sendable func stylesheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: PageTemplates.stylesheet)))
    }

    /// Keeps the reader's language in a cookie and goes back to the page they were on.
    @Sendable func language(_ request: Request, context: AppRequestContext) async throws -> Response {
        let language = PageLanguage(code: context.parameters.get("code"))
        var response = Response.redirect(to: Self.samePage(request), type: .normal)
        response.setCookie(PageSession.cookie(PageLanguage.cookie, language.rawValue, maxAge: 365 * 86_400,
                                              secure: PageSession.isSecure(request)))
        return response
    }

    /// The path of the page that linked here, when it is one of this site's; else `/`.
    static func samePage(_ request: Request) -> String {
        guard let referer = request.headers[.referer], let url = URL(string: referer), let host = url.host,
              host == request.head.authority?.split(separator: ":").first.map(String.init) ?? host,
              url.path.hasPrefix("/"), !url.path.hasPrefix("/language/")
        else { return "/" }
        return url.path + (url.query.map { "?" + $0 } ?? "")
    }

    /// Where a signed-in reader starts: a clerk at its first unit's dashboard, an
    /// inspector at its region's overview (or its supervising unit), an admin at the
    /// first province's overview.
    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let account = context.identity else { return .redirect(to: "/sign-in", type: .normal) }
        switch account.role {
        case .clerk:
            guard let unit = account.units.sorted().first else { throw AccessError.notFound("a unit of \(account.login)") }
            return .redirect(to: "/units/\(unit)", type: .normal)
        case .inspector:
            if let region = account.region { return .redirect(to: "/regions/\(region)", type: .normal) }
            if let unit = account.supervising { return .redirect(to: "/supervising/\(unit)", type: .normal) }
            throw AccessError.forbidden("\(account.login) has no region")
        case .admin:
            guard let top = try await operations.region(nil) else {
                throw AccessError.notFound("a region")
            }
            return .redirect(to: "/regions/\(top.code)", type: .normal)
        }
    }

    // MARK: Signing in and out

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.identity != nil { return .redirect(to: "/", type: .normal) }
        return signInPage(request, values: [:], status: .ok)
    }

    /// The sign-in form with `values` (what was typed, the errors), under a fresh
    /// pre-session cookie and its form token.
    func signInPage(_ request: Request, values: [String: Any], status: HTTPResponse.Status) -> Response {
        let secret = PageSession.newSecret()
        let visit = PageVisit(request, account: nil, secret: secret)
        var response = visit.page("sign-in", values, status: status)
        response.setCookie(PageSession.cookie(PageSession.preSessionCookie, secret, maxAge: 3600, secure: PageSession.isSecure(request)))
        return response
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let words = PageLanguage(code: request.cookies[PageLanguage.cookie]?.value).catalogue
        let form: PageForm
        do {
            form = try await PageForm.read(request, secret: request.cookies[PageSession.preSessionCookie]?.value,
                                           maxSize: configuration.maxJSONBody)
        } catch let problem as Problem where problem.type == PageForm.expired.type {
            return signInPage(request, values: ["formError": words["formExpired"]], status: .forbidden)
        }
        let login = form.text("login"), password = form["password"].flatMap { $0.isEmpty ? nil : $0 }
        guard let login, let password else {
            var values: [String: Any] = ["login": login ?? ""]
            if login == nil { values["loginError"] = words["fieldRequired"] }
            if password == nil { values["passwordError"] = words["fieldRequired"] }
            return signInPage(request, values: values, status: .unprocessableContent)
        }
        switch try await operations.login(login, password: password, from: context.remoteAddress) {
        case .succeeded(let token, _):
            var response = Response.redirect(to: "/", type: .normal)
            let secure = PageSession.isSecure(request)
            response.setCookie(PageSession.cookie(PageSession.cookie, token, maxAge: PageSession.maxAge, secure: secure))
            response.setCookie(PageSession.cookie(PageSession.preSessionCookie, "", maxAge: 0, secure: secure))
            return response
        case .failed:
            return signInPage(request, values: ["login": login, "formError": words["wrongLogin"]], status: .unauthorized)
        case .throttled(let wait):
            var response = signInPage(request, values: ["login": login, "formError": words.text("tooManyLogins", wait)],
                                      status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
    }

    /// Revokes the session's token (as an API logout does) and forgets the cookie.
    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = request.cookies[PageSession.cookie]?.value
        _ = try await PageForm.read(request, secret: token, maxSize: configuration.maxJSONBody)
        if let token { _ = try await operations.logout(token: token) }
        var response = Response.redirect(to: "/sign-in", type: .normal)
        response.setCookie(PageSession.cookie(PageSession.cookie, "", maxAge: 0, secure: PageSession.isSecure(request)))
        return response
    }

    // MARK: Reading

    /// Today in China's time zone, the day pages default to.
    static func todayInChina() -> CalendarDate {
        // The clock gives a day for any time a server runs; 2000-01-01 only for a broken one.
        CalendarDate.inChina(unixSeconds: Int64(Date().timeIntervalSince1970)) ?? CalendarDate(year: 2000, month: 1, day: 1)!
    }

    /// `?year=`: a year setaside takes, else this year in China.
    static func year(_ request: Request) -> (year: Int, current: Int) {
        let current = Self.todayInChina().year
        guard let text = request.uri.queryParameters["year"], let year = try? Year(parsing: String(text)).value else {
            return (current, current)
        }
        return (year, current)
    }

    func report(_ scope: (Int, CalendarDate?) -> ReportScope, year: Int, caller: Caller) async throws -> ComplianceReport {
        let day = CalendarDate.reportDay(year: year, unixSeconds: Int64(Date().timeIntervalSince1970))
        return try await operations.complianceReport(scope(year, day), by: caller)
    }

    /// A unit's dashboard for a year: each rule as a bar with its figures, the
    /// declaration's state. A clerk of several units may switch between them.
    @Sendable func dashboard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .read, unit: code)
        let (year, current) = Self.year(request)
        let report = try await report({ ReportScope(year: $0, unit: code, asOf: $1) }, year: year, caller: caller)
        guard let unit = report.units.first else { throw AccessError.notFound("unit \(code)") }
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        var units: [[String: Any]] = []
        if let account = context.identity, account.role == .clerk, account.units.count > 1 {
            units = try await operations.units(visibleTo: account, after: nil, limit: 100).units.map {
                ["creditCode": $0.profile.creditCode, "name": $0.profile.name, "year": year, "current": $0.profile.creditCode == code]
            }
        }
        return visit.page("dashboard", [
            "unit": ["name": unit.name, "creditCode": unit.creditCode], "onDashboard": true,
            "units": units, "hasUnits": units.count > 1, "year": year, "years": PageViews.years(selected: year, current: current),
            "declaration": PageViews.declaration(unit, visit.words),
            "rules": unit.rules.map { PageViews.rule($0, visit.words) }, "hasRules": !unit.rules.isEmpty,
        ])
    }

    /// A region's overview for a year: its units, met or short, filtered and sorted.
    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("code")
        try await operations.authorizeRegion(caller, code)
        let (year, _) = Self.year(request)
        let report = try await report({ ReportScope(year: $0, region: code, asOf: $1) }, year: year, caller: caller)
        var regionName = report.units.lazy.flatMap(\.regions).first { $0.code == code }?.name
        if regionName == nil { regionName = try await operations.region(code)?.name }
        guard let regionName else { throw AccessError.notFound("region \(code)") }
        return overviewPage(request, context, report: report, code: code, name: regionName, path: "/regions/\(code)", isRegion: true)
    }

    /// A supervising unit's overview (主管单位): it and every unit below it.
    @Sendable func supervisingOverview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        let unit = try await operations.unit(code, by: caller)
        let (year, _) = Self.year(request)
        let report = try await report({ ReportScope(year: $0, supervising: code, asOf: $1) }, year: year, caller: caller)
        return overviewPage(request, context, report: report, code: code, name: unit.profile.name, path: "/supervising/\(code)",
                            isRegion: false)
    }

    /// The overview of `report`'s units (a region's or a supervising unit's), filtered and
    /// sorted as the query asks; with `?view=supervising`, its supervising units' totals.
    func overviewPage(_ request: Request, _ context: AppRequestContext, report: ComplianceReport, code: String, name: String,
                      path: String, isRegion: Bool) -> Response {
        let (year, current) = Self.year(request)
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        let words = visit.words
        let filter = request.uri.queryParameters["filter"].map(String.init) ?? "all"
        let sort = request.uri.queryParameters["sort"].map(String.init) ?? "name"
        let undeclared: Set<DeclarationState> = [.missing, .returned]
        var units = report.units
        switch filter {
        case "short": units = units.filter(\.isShort)
        case "undeclared": units = units.filter { undeclared.contains($0.declaration) }
        default: break
        }
        if sort == "shortfall" {
            let shortfalls = Dictionary(units.map { ($0.creditCode, PageViews.shortfall($0)) }, uniquingKeysWith: { a, _ in a })
            units.sort { (shortfalls[$0.creditCode] ?? .zero, $1.name) > (shortfalls[$1.creditCode] ?? .zero, $0.name) }
        } else {
            units.sort { ($0.name, $0.creditCode) < ($1.name, $1.creditCode) }
        }
        let rows = units.map { unit in
            let shortfall = PageViews.shortfall(unit)
            return PageOverviewRow(
                creditCode: unit.creditCode, name: unit.name,
                region: unit.regions.first?.name ?? unit.region,   // its own region (nearest first)
                declarationState: unit.declaration.rawValue, declaration: words["declaration_\(unit.declaration.rawValue)"],
                overall: unit.overall.rawValue, overallLabel: words["status_\(unit.overall.rawValue)"],
                shortfall: shortfall.fen > 0 ? shortfall.groupedYuanString : "–")
        }
        let choices = { (values: [(String, String)], selected: String) in
            values.map { ["value": $0.0, "label": words[$0.1], "selected": $0.0 == selected] }
        }
        let bySupervising = request.uri.queryParameters["view"] == "supervising"
        let rollups: [[String: Any]] = bySupervising ? ComplianceRollup.bySupervisingUnit(report).map { rollup in
            ["key": rollup.key, "name": rollup.name, "units": rollup.units, "declared": rollup.declared, "short": rollup.short,
             "year": year]
        } : []
        return visit.page("overview", [
            "region": ["code": code, "name": name], "path": path, "isRegion": isRegion, "year": year,
            "bySupervising": bySupervising, "rollups": rollups, "hasRollups": !rollups.isEmpty,
            "views": choices([("units", "viewUnits"), ("supervising", "viewSupervising")], bySupervising ? "supervising" : "units"),
            "years": PageViews.years(selected: year, current: current),
            "filters": choices([("all", "filterAll"), ("short", "filterShort"), ("undeclared", "filterUndeclared")], filter),
            "sorts": choices([("name", "sortName"), ("shortfall", "sortShortfall")], sort),
            "counts": [
                "shown": words.text("unitsShown", units.count),
                "short": words.text("unitsShort", report.units.filter(\.isShort).count),
                "undeclared": words.text("unitsUndeclared", report.units.filter { undeclared.contains($0.declaration) }.count),
            ],
            "unitRows": PageOverviewRow.html(rows, year: year),
        ])
    }
}
