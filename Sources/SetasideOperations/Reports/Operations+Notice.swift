import Foundation
import SetasideCore
import SetasideFiles
import SetasideStore

/// The formats of the notice (通报).
public enum NoticeFormat: String, Sendable, CaseIterable {
    /// Tables for people.
    case table
    /// One CSV text with every section (or, to a `.zip`, one file per section).
    case csv
    case json
    /// A workbook with one sheet per section.
    case xlsx

    public var contentType: String {
        switch self {
        case .table: "text/plain; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .xlsx: AssessmentFormat.xlsx.contentType
        }
    }
}

extension Operations {
    /// The notice (通报) of `scope` on the canteen reservation, from the compliance report
    /// of the same code: inspectors of the region and admins (every unit: admins), and
    /// the command line; clerks may not.
    public func notice(_ scope: ReportScope, by caller: Caller) async throws -> Notice {
        try await authorizeAssessment(scope, by: caller)
        if let problem = Self.dayProblem(scope) { throw ImportError.rejected([problem]) }
        let assessment = try await Self.translatingErrors { try await store.assessment(scope) }
        return Notice(report: assessment.report, scope: assessment.scope, asOf: scope.asOf, madeAt: assessment.madeAt)
    }

    /// The notice as `format`'s bytes: text for the table, CSV (with a byte-order mark)
    /// and JSON; a workbook for xlsx.
    public func noticeFile(_ scope: ReportScope, format: NoticeFormat, by caller: Caller) async throws -> Data {
        let notice = try await notice(scope, by: caller)
        switch format {
        case .table: return Data(notice.text().utf8)
        case .csv: return Data([0xEF, 0xBB, 0xBF] + Array(notice.csv().utf8))
        case .json: return Data(notice.json().utf8)
        case .xlsx:
            return try await Self.bytes(ofFileNamed: "notice.xlsx") { try WorkbookWriter().write(notice.sheets, to: $0) }
        }
    }

    /// Writes the notice of `scope` to `path`: a workbook for xlsx, a zip of one CSV file
    /// per section for csv to a `.zip`, else the text `noticeFile` makes.
    public func exportNotice(_ scope: ReportScope, format: NoticeFormat, to path: String, by caller: Caller) async throws {
        if format == .csv, CSVSheetWriter.isZip(path) {
            try CSVSheetWriter().write(try await notice(scope, by: caller).sheets, to: path)
        } else if format == .xlsx {
            try WorkbookWriter().write(try await notice(scope, by: caller).sheets, to: path)
        } else {
            let data = try await noticeFile(scope, format: format, by: caller)
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw FileExportError.writeFailed(path: path, reason: error.localizedDescription)
            }
        }
    }
}
