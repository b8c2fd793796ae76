import Foundation
import SetasideCore
import SetasideFiles
import SetasideStore

/// The file formats of an assessment export.
public enum AssessmentFormat: String, Sendable, CaseIterable {
    /// One xlsx workbook with the sheets 封面, 单位, 地区汇总, 主管单位汇总 and 包销.
    case xlsx
    /// One CSV file per sheet, in a folder or a zip.
    case csv
    case json

    /// The media type of the file (a CSV export as one file is a zip).
    public var contentType: String {
        switch self {
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .csv: "application/zip"
        case .json: "application/json; charset=utf-8"
        }
    }

    /// The file name's ending (a CSV export as one file is a zip).
    public var fileExtension: String {
        switch self {
        case .xlsx: "xlsx"
        case .csv: "zip"
        case .json: "json"
        }
    }
}

/// How far an export has gone: the sheet being written, its rows written and in all.
public struct ExportProgress: Sendable {
    public var sheet: String
    public var done: Int
    public var total: Int
}

extension Operations {
    /// Writes the assessment of `scope` to `path` as `format`: an xlsx workbook, a folder
    /// of CSV files (or a zip of them when `path` ends in `.zip`), or JSON. The same
    /// checks and figures as `assessment`. Returns the assessment written.
    public func exportAssessment(_ scope: ReportScope, format: AssessmentFormat, to path: String, by caller: Caller,
                                 progress: @escaping @Sendable (ExportProgress) -> Void = { _ in }) async throws -> Assessment {
        let assessment = try await assessment(scope, by: caller)
        let report: (String, Int, Int) -> Void = { progress(ExportProgress(sheet: $0, done: $1, total: $2)) }
        switch format {
        case .xlsx:
            try WorkbookWriter().write(assessment.sheets, to: path, progress: report)
        case .csv:
            try CSVSheetWriter().write(assessment.sheets, to: path, progress: report)
        case .json:
            do {
                try Data(assessment.json().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw FileExportError.writeFailed(path: path, reason: error.localizedDescription)
            }
        }
        return assessment
    }

    /// The assessment of `scope` as one file's bytes (a CSV export as a zip), for the API.
    public func assessmentFile(_ scope: ReportScope, format: AssessmentFormat, by caller: Caller) async throws -> Data {
        if format == .json { return Data(try await assessment(scope, by: caller).json().utf8) }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("setaside-export-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("assessment.\(format.fileExtension)").path
        _ = try await exportAssessment(scope, format: format, to: file, by: caller)
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }
}
