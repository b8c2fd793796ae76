import Foundation
import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// Findings, spot checks and compliance reports.
struct InspectionController {
    let operations: Operations
    let configuration: ServerConfiguration

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.post("purchases/{id}/findings", use: addFinding)
        router.post("spot-checks", use: spotCheck)
        router.get("units/{creditCode}/compliance", use: unitCompliance)
        router.get("regions/{code}/compliance", use: regionCompliance)
        router.get("supervising-units/{creditCode}/compliance", use: supervisingCompliance)
        router.get("assessments/{year}", use: assessment)
        router.post("assessments/{year}/snapshots", use: freezeAssessment)
        router.get("assessments/{year}/snapshots", use: assessmentSnapshots)
        router.get("assessments/{year}/changes", use: assessmentChanges)
        router.get("notices/{year}", use: notice)
    }

    @Sendable func addFinding(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let id = try LedgerController.purchaseID(context)
        // Whether the caller may record findings on this purchase, before its body is read.
        _ = try await operations.purchase(id: id, for: .writeFindings, by: caller)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, as: .finding)
        let verdict = body.choice("verdict", FindingVerdict.self)
        let reason = body.string("reason", required: false, maxLength: FieldValue.maxNoteLength) ?? ""
        try body.finish()
        guard let verdict else { throw Problem.validation(body.problems) }
        let finding = try await operations.recordFinding(purchase: id, verdict: verdict, reason: reason, by: caller)
        return JSONResponse(Views.finding(finding), status: .created)
    }

    @Sendable func spotCheck(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        try operations.authorizeRole(caller, .writeFindings)
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody,
                                           as: .spotCheck)
        let region = body.string("region"), year = body.year("year")?.value, size = body.integer("size")
        let seed = body.text("seed"), includeAll = body.flag("includeAll")
        try body.finish()
        guard let region, let year, let size, let seed else { throw Problem.validation(body.problems) }
        let check = try await operations.drawSpotCheck(region: region, year: year, size: size, seed: seed,
                                                       includeAll: includeAll, by: caller)
        return JSONResponse("{\"region\": \(JSONText.string(check.region)), \"year\": \(check.year), "
                            + "\"includeAll\": \(includeAll), "
                            + "\"seed\": \(JSONText.string(check.seed)), \"size\": \(size), \"population\": \(check.population), "
                            + "\"purchases\": [\(check.purchases.map(Views.purchase).joined(separator: ", "))]}",
                            status: .created)
    }

    /// `?year=YYYY`, required.
    func year(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["year"] else {
            throw Problem.validation([InputProblem.field("year", "is required (?year=2024)")])
        }
        do {
            return try Year(parsing: text).value
        } catch {
            throw Problem.validation([InputProblem.field("year", error.reason)])
        }
    }

    /// `?asOf=YYYY-MM-DD`, the day the report is made; when absent, today in China's time
    /// (none for a year not begun yet: its report counts nothing and projects nothing).
    func asOf(_ request: Request, year: Int) throws -> CalendarDate? {
        guard let text = request.uri.queryParameters["asOf"] else {
            return CalendarDate.reportDay(year: year, unixSeconds: Int64(Date().timeIntervalSince1970))
        }
        do {
            return try CalendarDate(parsingISO: String(text))
        } catch {
            throw Problem.validation([InputProblem.field("asOf", "\(error)")])
        }
    }

    @Sendable func unitCompliance(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        try await report(request, context, parameter: "creditCode") { ReportScope(year: $0, unit: $1, asOf: $2) }
    }

    @Sendable func regionCompliance(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        try await report(request, context, parameter: "code") { ReportScope(year: $0, region: $1, asOf: $2) }
    }

    /// A supervising unit's report: it and every unit below it, with the roll-up.
    @Sendable func supervisingCompliance(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        try await report(request, context, parameter: "creditCode") { ReportScope(year: $0, supervising: $1, asOf: $2) }
    }

    /// The report of the scope `scope` makes of the year, the path's `parameter` and the
    /// day; access is the operation's to decide (a region's: before the year is read).
    func report(_ request: Request, _ context: AppRequestContext, parameter: String,
                scope: (Int, String, CalendarDate?) -> ReportScope) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let code = try context.parameters.require(parameter)
        if parameter == "code" {
            try await operations.authorizeRegion(caller, code)
        } else {
            try await operations.authorize(caller, .read, unit: code)
        }
        let year = try year(request)
        return JSONResponse(try await operations.complianceReport(scope(year, code, try asOf(request, year: year)), by: caller).json())
    }

    /// The year of `/assessments/{year}` and `?region=`, with `?asOf=` (today by default)
    /// and whether it was given.
    func assessmentScope(_ request: Request, _ context: AppRequestContext) throws -> (scope: ReportScope, dayGiven: Bool) {
        let year: Int
        do {
            year = try Year(parsing: try context.parameters.require("year")).value
        } catch let error as FieldError {
            throw Problem.validation([InputProblem.field("year", error.reason)])
        }
        var region: String?
        if let text = request.uri.queryParameters["region"] {
            do {
                region = try DivisionCode(parsing: String(text)).text
            } catch {
                throw Problem.validation([InputProblem.field("region", "\(error)")])
            }
        }
        let scope = ReportScope(year: year, region: region, asOf: try asOf(request, year: year))
        return (scope, request.uri.queryParameters["asOf"] != nil)
    }

    /// The yearly assessment of `?region=` (every unit: admins), as JSON, or as the
    /// workbook or a zip of CSV files with `?format=`: inspectors of the region and
    /// admins; a clerk is refused. The latest snapshot's figures when one covers the
    /// year and region, unless `?live=true` or `?asOf=`.
    @Sendable func assessment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (scope, dayGiven) = try assessmentScope(request, context)
        let year = scope.year, region = scope.region
        let format = try ChoiceParameter.read("format", of: request, default: AssessmentFormat.json)
        let live = try Self.flag(request, "live") || dayGiven
        let data = try await operations.assessmentFile(scope, format: format, by: caller, live: live)
        var headers: HTTPFields = [.contentType: format.contentType]
        if format != .json {
            let name = "assessment-\(year)-\(region ?? DivisionCode.country.text).\(format.fileExtension)"
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Freezes the assessment of `?region=` (every unit without it): admins. 201 with the
    /// snapshot.
    @Sendable func freezeAssessment(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let (scope, _) = try assessmentScope(request, context)
        let snapshot = try await operations.freezeAssessment(scope, by: caller)
        return JSONResponse(snapshot.json, status: .created)
    }

    /// The snapshots of the year for `?region=`, oldest first.
    @Sendable func assessmentSnapshots(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let (scope, _) = try assessmentScope(request, context)
        let snapshots = try await operations.assessmentSnapshots(scope, by: caller)
        return JSONResponse("{\"items\": [" + snapshots.map(\.json).joined(separator: ", ") + "]}")
    }

    /// What moved since the latest snapshot of the year for `?region=` (404 when none).
    @Sendable func assessmentChanges(_ request: Request, context: AppRequestContext) async throws -> JSONResponse {
        let caller = try context.requireCaller()
        let (scope, _) = try assessmentScope(request, context)
        return JSONResponse(try await operations.assessmentChanges(scope, by: caller).json())
    }

    /// A query flag: `true` or `false` (absent: false).
    static func flag(_ request: Request, _ name: String) throws -> Bool {
        guard let text = request.uri.queryParameters[Substring(name)] else { return false }
        switch text {
        case "true": return true
        case "false": return false
        default: throw Problem.validation([InputProblem.field(name, "\(text) is neither true nor false")])
        }
    }

    /// The notice (通报) of `?region=` (every unit: admins) for the year, as JSON, or with
    /// `?format=` as a table (text), CSV or a workbook.
    @Sendable func notice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (scope, _) = try assessmentScope(request, context)
        let format = try ChoiceParameter.read("format", of: request, default: NoticeFormat.json)
        let data = try await operations.noticeFile(scope, format: format, by: caller)
        var headers: HTTPFields = [.contentType: format.contentType]
        if format == .xlsx || format == .csv {
            let name = "notice-\(scope.year)-\(scope.region ?? DivisionCode.country.text).\(format.rawValue)"
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
