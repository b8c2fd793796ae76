import Hummingbird
import SetasideCore
import SetasideOperations
import SetasideStore

/// Uploading a purchases file or an 832 order export through the pages: the file is
/// checked by a dry run first (what would be stored, left, changed, refused), kept, and
/// imported when the reader confirms; a file with refused rows cannot be confirmed.
extension PageController {
    func addUploadRoutes(to pages: RouterGroup<AppRequestContext>) {
        pages.get("units/{creditCode}/upload", use: uploadForm)
        pages.post("units/{creditCode}/upload", use: upload)
        pages.post("units/{creditCode}/upload/{id}", use: confirmUpload)
    }

    @Sendable func uploadForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await uploadPage(request, context, values: [:], kind: .orders832, status: .ok)
    }

    func uploadPage(_ request: Request, _ context: AppRequestContext, values extra: [String: Any], kind: PendingUploads.Kind,
                    status: HTTPResponse.Status) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writePurchases, unit: code)
        let unit = try await operations.unit(code, by: caller)
        let visit = PageVisit(request, account: context.identity, secret: request.cookies[PageSession.cookie]?.value)
        var values: [String: Any] = [
            "unit": ["name": unit.profile.name, "creditCode": code], "year": Self.year(request).year, "onUpload": true,
            "kinds": PendingUploads.Kind.allCases.map { ["value": $0.rawValue, "label": visit.words["upload_\($0.rawValue)"],
                                                         "selected": $0 == kind] },
        ]
        values.merge(extra) { _, new in new }
        return visit.page("upload", values, status: status)
    }

    static func problemRows(_ problems: [InputProblem]) -> [[String: Any]] {
        problems.prefix(1000).map { ["line": $0.line, "field": $0.field, "reason": $0.reason] }
    }

    /// Runs the file as `kind`, dry or for real.
    func importUpload(_ bytes: [UInt8], kind: PendingUploads.Kind, unit: String, dryRun: Bool, caller: Caller)
        async throws -> ImportSummary {
        switch kind {
        case .purchases: try await operations.importFile(.purchases, bytes: bytes, by: caller, unit: unit, dryRun: dryRun)
        case .orders832: try await operations.importOrderExport(bytes: bytes, unit: unit, dryRun: dryRun, by: caller)
        }
    }

    /// Checks the uploaded file by a dry run and shows what it would do; keeps it for the
    /// confirmation when nothing is refused.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writePurchases, unit: code)
        let form = try await MultipartForm.read(request, secret: request.cookies[PageSession.cookie]?.value,
                                                maxSize: configuration.maxCSVBody)
        let words = PageLanguage(code: request.cookies[PageLanguage.cookie]?.value).catalogue
        let kind = form["kind"].flatMap { PendingUploads.Kind(rawValue: $0.text) } ?? .orders832
        guard let file = form["file"], !file.bytes.isEmpty else {
            return try await uploadPage(request, context, values: ["uploadError": words["fileMissing"]], kind: kind,
                                        status: .unprocessableContent)
        }
        let filename = file.filename ?? "upload"
        do {
            let summary = try await importUpload(file.bytes, kind: kind, unit: code, dryRun: true, caller: caller)
            var dry: [String: Any] = [
                "stored": summary.inserted, "unchanged": summary.unchanged, "statusChanges": summary.statusChanges,
                "refusedRows": summary.refusedRows, "hasRefused": !summary.refused.isEmpty,
                "refused": Self.problemRows(summary.refused),
            ]
            if summary.refused.isEmpty, summary.inserted + summary.statusChanges > 0, let account = context.identity {
                dry["id"] = await uploads.keep(owner: account.login, unit: code, kind: kind, filename: filename, bytes: file.bytes)
                dry["canConfirm"] = true
            }
            return try await uploadPage(request, context, values: ["dry": dry, "filename": filename], kind: kind, status: .ok)
        } catch let error as ImportError {
            return try await uploadPage(request, context, values: Self.refusal(error, words), kind: kind,
                                        status: .unprocessableContent)
        }
    }

    /// The page's values for a file refused whole.
    static func refusal(_ error: ImportError, _ words: PageCatalogue) -> [String: Any] {
        switch error {
        case .rejected(let problems):
            return ["hasProblems": true, "problems": problemRows(problems), "formError": words["fixAndUpload"]]
        case .unreadable(let reason):
            return ["uploadError": reason]
        }
    }

    /// Imports the file the dry run checked.
    @Sendable func confirmUpload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.require("creditCode")
        try await operations.authorize(caller, .writePurchases, unit: code)
        _ = try await PageForm.read(request, secret: request.cookies[PageSession.cookie]?.value, maxSize: configuration.maxJSONBody)
        let words = PageLanguage(code: request.cookies[PageLanguage.cookie]?.value).catalogue
        guard let account = context.identity,
              let upload = await uploads.take(try context.parameters.require("id"), owner: account.login, unit: code) else {
            return try await uploadPage(request, context, values: ["uploadError": words["uploadExpired"]], kind: .orders832,
                                        status: .gone)
        }
        do {
            let summary = try await importUpload(upload.bytes, kind: upload.kind, unit: code, dryRun: false, caller: caller)
            let done: [String: Any] = ["stored": summary.inserted, "unchanged": summary.unchanged,
                                       "statusChanges": summary.statusChanges]
            return try await uploadPage(request, context, values: ["done": done, "filename": upload.filename], kind: upload.kind,
                                        status: .ok)
        } catch let error as ImportError {
            // Something changed since the dry run (another import, an order entered).
            return try await uploadPage(request, context, values: Self.refusal(error, words), kind: upload.kind,
                                        status: .unprocessableContent)
        }
    }
}
