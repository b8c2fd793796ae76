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

/// What an export wrote: the counts its summary names, and whose figures they are.
public struct ExportSummary: Sendable {
    public var units: Int
    public var regions: Int
    public var packing: Int
    public var figures: AssessmentFigures
}

extension Operations {
    /// Writes the assessment of `scope` to `path` as `format`: an xlsx workbook, a folder
    /// of CSV files (or a zip of them when `path` ends in `.zip`), or JSON. The latest
    /// snapshot's figures when one covers the scope, unless `live`; else today's, with
    /// the same checks and figures as `assessment`.
    public func exportAssessment(_ scope: ReportScope, format: AssessmentFormat, to path: String, by caller: Caller,
                                 live: Bool = false,
                                 progress: @escaping @Sendable (ExportProgress) -> Void = { _ in }) async throws -> ExportSummary {
        let source = try await assessmentSource(scope, live: live, by: caller)
        let report: (String, Int, Int) -> Void = { progress(ExportProgress(sheet: $0, done: $1, total: $2)) }
        let summary: ExportSummary, json: () -> String, sheets: () throws -> [Sheet]
        switch source {
        case .live(let assessment):
            summary = ExportSummary(units: assessment.report.units.count, regions: assessment.regions.count,
                                    packing: assessment.packing.count, figures: assessment.figures)
            json = { assessment.json() }
            sheets = { assessment.sheets }
        case .frozen(let content):
            summary = ExportSummary(units: content.units, regions: content.regions, packing: content.packing,
                                    figures: .frozen(content.snapshot))
            json = { content.figures }
            sheets = { try SheetArchive.decode(content.sheets) }
        }
        switch format {
        case .xlsx:
            try WorkbookWriter().write(try sheets(), to: path, progress: report)
        case .csv:
            try CSVSheetWriter().write(try sheets(), to: path, progress: report)
        case .json:
            do {
                try Data(json().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw FileExportError.writeFailed(path: path, reason: error.localizedDescription)
            }
        }
        return summary
    }

    /// The assessment of `scope` as one file's bytes (a CSV export as a zip), for the API;
    /// frozen or live as `exportAssessment`.
    public func assessmentFile(_ scope: ReportScope, format: AssessmentFormat, by caller: Caller,
                               live: Bool = false) async throws -> Data {
        try await Self.bytes(ofFileNamed: "assessment.\(format.fileExtension)") { file in
            _ = try await exportAssessment(scope, format: format, to: file, by: caller, live: live)
        }
    }

    /// The bytes of the file `write` makes at the path it is given, in a folder of its own
    /// that is removed afterwards (libxlsxwriter and the zip writer write files, the API
    /// answers bytes).
    static func bytes(ofFileNamed name: String, _ write: (String) async throws -> Void) async throws -> Data {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("setaside-export-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name).path
        try await write(file)
        return try Data(contentsOf: URL(fileURLWithPath: file))
    }

    /// The JSON of the assessment of `scope`, frozen or live as `exportAssessment`.
    public func assessmentJSON(_ scope: ReportScope, by caller: Caller, live: Bool = false) async throws -> String {
        switch try await assessmentSource(scope, live: live, by: caller) {
        case .live(let assessment): assessment.json()
        case .frozen(let content): content.figures
        }
    }
}
