import Foundation
import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// The notice (通报) of a region as a page: the core's sheets as tables, the yearly
/// assessment workbook to download, and freezing a snapshot (admins).
extension PageController {
    func addNoticeRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("regions/{code}/notice", use: notice)
        pages.get("regions/{code}/assessment.xlsx", use: assessmentWorkbook)
        pages.post("regions/{code}/assessment/freeze", use: freeze)
    }

    /// The rows of a sheet shown on a page; the workbook has them all.
    static let sheetRowsShown = 500

    /// A sheet as the notice template renders it.
    static func sheetValues(_ sheet: Sheet, index: Int, words: PageCatalogue) -> [String: Any] {
        func numeric(_ cell: SheetCell) -> Bool {
            switch cell {
            case .money, .integer, .percent: true
            default: false
            }
        }
        let shown = min(sheet.rowCount, sheetRowsShown)
        let rows: [[String: Any]] = (0..<shown).map { index in
            ["cells": sheet.row(index).map { ["text": $0.displayText, "numeric": numeric($0)] as [String: Any] }]
        }
        let firstRow = shown > 0 ? sheet.row(0) : []
        var values: [String: Any] = [
            "index": index, "name": sheet.name,
            "preamble": sheet.preamble.map { ["label": $0.label, "value": $0.value.displayText] },
            "hasPreamble": !sheet.preamble.isEmpty, "hasRows": shown > 0, "rows": rows,
            "columns": sheet.columns.enumerated().map { column in
                ["header": column.element.flatHeader,
                 "numeric": column.offset < firstRow.count && numeric(firstRow[column.offset])] as [String: Any]
            },
        ]
        if sheet.rowCount > shown { values["cut"] = words.text("rowsCut", shown) }
        return values
    }

    func regionScope(_ request: Request, _ context: AppRequestContext) throws -> (code: String, year: Int, current: Int) {
        let code = try context.parameters.require("code")
        guard (try? DivisionCode(parsing: code)) != nil else { throw AccessError.notFound("region \(code)") }
        let (year, current) = Self.year(request)
        return (code, year, current)
    }

    @Sendable func notice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (code, year, _) = try regionScope(request, context)
        let day = CalendarDate.reportDay(year: year, unixSeconds: Int64(Date().timeIntervalSince1970))
        let notice = try await operations.notice(ReportScope(year: year, region: code, asOf: day), by: caller)
        let snapshots = try await operations.assessmentSnapshots(ReportScope(year: year, region: code), by: caller)
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        let regionName = try await operations.region(code)?.name ?? code
        var values: [String: Any] = [
            "region": ["code": code, "name": regionName], "year": year,
            "sheets": notice.sheets.enumerated().map { Self.sheetValues($0.element, index: $0.offset, words: visit.words) },
            "canFreeze": context.identity?.role == .admin,
        ]
        if let latest = snapshots.last {
            values["snapshot"] = ["id": latest.id, "frozenAt": latest.frozenAt, "frozenBy": latest.frozenBy]
        }
        if request.uri.queryParameters["saved"] == "frozen" { values["saved"] = visit.words["frozenSaved"] }
        return visit.page("notice", values)
    }

    /// The yearly assessment of the region as the workbook (a frozen snapshot's figures
    /// when one covers the year and region).
    @Sendable func assessmentWorkbook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (code, year, _) = try regionScope(request, context)
        let data = try await operations.assessmentFile(ReportScope(year: year, region: code), format: .xlsx, by: caller)
        var headers = HTTPFields()
        headers[.contentType] = AssessmentFormat.xlsx.contentType
        headers[.contentDisposition] = "attachment; filename=\"assessment-\(year)-\(code).xlsx\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Freezes the region's assessment of the year (admins; the operation decides).
    @Sendable func freeze(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (code, year, _) = try regionScope(request, context)
        _ = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value, maxSize: configuration.maxJSONBody)
        _ = try await operations.freezeAssessment(ReportScope(year: year, region: code), by: caller)
        return .redirect(to: "/regions/\(code)/notice?year=\(year)&saved=frozen", type: .normal)
    }
}
