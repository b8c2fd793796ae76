import SetasideCore
import SetasideOperations

/// The OpenAPI 3.1 document of the API, built from one table of operations; a test
/// checks that the table and the router list the same routes.
public enum OpenAPIDocument {
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var request: RequestBody?
        var success: (status: Int, schema: String?)
        var query: [(name: String, description: String)] = []
        /// The query parameters a request must have.
        var requiredQuery: [String] = []
        var isPublic = false
        /// Whether an account may be refused it (403): not for the routes every account
        /// reads, which filter what they show instead.
        var mayForbid = true
        /// Whether what it writes can clash with what is stored (409).
        var mayConflict = false
        /// Whether something its body names may not exist (404).
        var mayNotFind = false
        /// A second success: 201 for a declaration made new; 200 for a link, a purchase or a
        /// reversal stored already with the same content (a repeat).
        var otherSuccess: Int?
        /// Whether a `format` other than JSON answers with a file (xlsx, or a zip of CSV files).
        var answersFiles = false
        /// Whether a `format` other than JSON answers the notice as text, CSV or a workbook.
        var answersNotices = false

        /// Every status an error of the operation can have, each with what it means.
        var errors: [(status: Int, meaning: String)] {
            var codes: [(Int, String)] = []
            let hasBody = request != nil, hasParameters = path.contains("{") || !query.isEmpty
            if case .json? = request { codes.append((400, "malformed JSON")) }
            if !isPublic || path == "/api/v1/session" {
                codes.append((401, path == "/api/v1/session" && method == "POST"
                                  ? "wrong login or password" : "no, unknown or revoked bearer token"))
            }
            if !isPublic, mayForbid { codes.append((403, "not allowed for this account")) }
            if path.contains("{") || mayNotFind { codes.append((404, "what the path or the body names does not exist")) }
            if mayConflict { codes.append((409, "conflicts with what is stored")) }
            if hasBody { codes.append((413, "body too large")) }
            if case .csv? = request { codes.append((415, "a charset other than utf-8 or gb18030 (gbk)")) }
            if case .orderExport? = request { codes.append((415, "a charset other than utf-8 or gb18030 (gbk)")) }
            if hasBody || hasParameters { codes.append((422, "invalid fields, each named")) }
            if path == "/api/v1/session" && method == "POST" { codes.append((429, "too many failed logins from this address (Retry-After)")) }
            if path != "/api/v1/openapi.json" {
                codes.append((503, "the database is busy (a lock an import holds), not migrated or unreachable: try again"))
            }
            return codes
        }
    }

    /// What an operation's request body is.
    enum RequestBody {
        case json(WireBody)
        /// A purchases file (`text/csv`).
        case csv
        /// An order export: an xlsx workbook or a CSV file.
        case orderExport
    }

    static let operations: [Operation] = [
        Operation(method: "GET", path: "/healthz", summary: "Liveness: 200 when the server and its database answer.",
                  request: nil, success: (200, nil), isPublic: true),
        Operation(method: "GET", path: "/api/v1/openapi.json", summary: "This document.", request: nil,
                  success: (200, nil), isPublic: true),
        Operation(method: "POST", path: "/api/v1/session", summary: "Password login; answers with a new bearer token. Failed logins from one address are slowed down (429).",
                  request: .json(.login), success: (201, "Session"), isPublic: true),
        Operation(method: "DELETE", path: "/api/v1/session", summary: "Log out: revokes the bearer token of the request (204).",
                  request: nil, success: (204, nil), isPublic: true),
        Operation(method: "GET", path: "/api/v1/units", summary: "The units the caller may read.", request: nil,
                  success: (200, "UnitList"), query: [("cursor", "nextCursor of the previous page"), ("limit", "1 to 1000, default 100")],
                  mayForbid: false),
        Operation(method: "GET", path: "/api/v1/units/{creditCode}", summary: "One unit.", request: nil, success: (200, "Unit")),
        Operation(method: "GET", path: "/api/v1/regions", summary: "The region tree, or the part under ?under=CODE.",
                  request: nil, success: (200, "RegionList"), query: [("under", "a region code")], mayForbid: false),
        Operation(method: "GET", path: "/api/v1/policies", summary: "The policy packs and their rules.", request: nil,
                  success: (200, "PolicyList"), mayForbid: false),
        Operation(method: "GET", path: "/api/v1/units/{creditCode}/declarations/{year}",
                  summary: "A yearly declaration: the version that counts (the latest not returned), the latest's return if it was sent back, and every version.",
                  request: nil, success: (200, "Declaration")),
        Operation(method: "PUT", path: "/api/v1/units/{creditCode}/declarations/{year}",
                  summary: "Declare a year's plan: 201 when it is stored as a new version, 200 when the latest version says the same and was not returned.",
                  request: .json(.declaration), success: (200, "Declaration"), otherSuccess: 201),
        Operation(method: "POST", path: "/api/v1/units/{creditCode}/declarations/{year}/return",
                  summary: "Return (退回) the latest version with a reason (inspectors of the unit's region, admins); the unit declares again. 409 when it was returned already.",
                  request: .json(.declarationReturn), success: (201, "Declaration"), mayConflict: true, mayNotFind: true),
        Operation(method: "GET", path: "/api/v1/units/{creditCode}/assignments", summary: "Assisted villages by years.",
                  request: nil, success: (200, "AssignmentList")),
        Operation(method: "POST", path: "/api/v1/units/{creditCode}/assignments", summary: "Assign a village (admins).",
                  request: .json(.assignment), success: (201, "Assignment"), mayConflict: true, otherSuccess: 200),
        Operation(method: "GET", path: "/api/v1/units/{creditCode}/agreements", summary: "Directed agreements.",
                  request: nil, success: (200, "AgreementList")),
        Operation(method: "POST", path: "/api/v1/units/{creditCode}/agreements", summary: "Add a directed agreement (admins).",
                  request: .json(.agreement), success: (201, "Agreement"), mayConflict: true, otherSuccess: 200),
        Operation(method: "GET", path: "/api/v1/units/{creditCode}/purchases", summary: "A page of the unit's purchases in id order.",
                  request: nil, success: (200, "PurchaseList"),
                  query: [("year", "the year the purchase counts in: its order date's, a reversal's original's"), ("channel", "platform832, localPlatform, directed, other"),
                          ("category", "canteenFood, unionWelfare, unionFestival, packing, other"),
                          ("origin", "origin region code"), ("status", "completed, cancelled, refunded, pending"),
                          ("cursor", "nextCursor of the previous page"), ("limit", "1 to 1000, default 100")]),
        Operation(method: "POST", path: "/api/v1/units/{creditCode}/purchases",
                  summary: "Log a purchase. With an Idempotency-Key header a repeat returns the first answer; the same order number with other content is 409.",
                  request: .json(.purchase), success: (201, "Purchase"), mayConflict: true, otherSuccess: 200),
        Operation(method: "POST", path: "/api/v1/units/{creditCode}/purchases/import",
                  summary: "Import a text/csv body in the purchases format (docs/formats.md); all or nothing. The encoding is the charset of the Content-Type (utf-8 or gb18030), or found from the bytes; the answer says which.",
                  request: .csv, success: (201, "ImportSummary")),
        Operation(method: "POST", path: "/api/v1/units/{creditCode}/orders832",
                  summary: "Import an 832-platform (or, with ?channel=localPlatform, a local platform's) order export as clerks download it: the body is the xlsx workbook or the CSV file (utf-8 or gb18030). Headers, origins, buyers and statuses are read as docs/formats.md says; orders already stored are left, status changes booked; all or nothing. ?dryRun=true stores nothing and says what each row would do: stored, left as already stored, booked as a status change, or refused (each refused row's problems listed; the counts are the other rows').",
                  request: .orderExport, success: (201, "ImportSummary"),
                  query: [("dryRun", "true: check and count, store nothing, and list the rows that would be refused"), ("channel", "platform832 (default) or localPlatform"),
                          ("category", "the category of rows without a purpose column (default canteenFood)"),
                          ("festival", "the festival of festival gifts (unionFestival) whose row names none: 春节, 中秋, … or midAutumn"),
                          ("sheet", "the workbook sheet (default the first)")],
                  otherSuccess: 200),
        Operation(method: "GET", path: "/api/v1/purchases/{id}", summary: "One purchase.", request: nil, success: (200, "Purchase")),
        Operation(method: "POST", path: "/api/v1/purchases/{id}/reversal",
                  summary: "Reverse (红字冲销) part or all of a purchase: a new, negative row; the original is never edited.",
                  request: .json(.reversal), success: (201, "Purchase"), mayConflict: true, otherSuccess: 200),
        Operation(method: "POST", path: "/api/v1/purchases/{id}/findings",
                  summary: "An inspector's finding: accept, reject (with a reason; the purchase stops counting) or note.",
                  request: .json(.finding), success: (201, "Finding")),
        Operation(method: "POST", path: "/api/v1/purchases/{id}/status",
                  summary: "Book a status change of a stored order, appended, never an edit: pending to completed (paid: it then counts on its order date) or cancelled, completed to refunded (whole; a partial refund is a reversal). 201 when booked, 200 when it had that status already, 409 when the change is not allowed.",
                  request: .json(.statusChange), success: (201, "Purchase"), mayConflict: true, otherSuccess: 200),
        Operation(method: "GET", path: "/api/v1/units/{creditCode}/compliance", summary: "One unit's compliance report.",
                  request: nil, success: (200, "ComplianceReport"), query: [("year", "the year"), ("asOf", "the day the report is made, YYYY-MM-DD (default today in China, none for a year not begun); within the year, share rules get a projection")], requiredQuery: ["year"]),
        Operation(method: "GET", path: "/api/v1/regions/{code}/compliance", summary: "A region's compliance report.",
                  request: nil, success: (200, "ComplianceReport"), query: [("year", "the year"), ("asOf", "the day the report is made, YYYY-MM-DD (default today in China, none for a year not begun); within the year, share rules get a projection")], requiredQuery: ["year"]),
        Operation(method: "GET", path: "/api/v1/supervising-units/{creditCode}/compliance",
                  summary: "The compliance report of a supervising unit (主管预算单位) and every unit below it, with the roll-up by supervising unit (inspectors bound to it or above it; inspectors of a region see the units in their region; admins).",
                  request: nil, success: (200, "ComplianceReport"), query: [("year", "the year"), ("asOf", "the day the report is made, YYYY-MM-DD (default today in China, none for a year not begun); within the year, share rules get a projection")], requiredQuery: ["year"]),
        Operation(method: "GET", path: "/api/v1/assessments/{year}",
                  summary: "The yearly assessment (年度考核) of ?region= (every unit: admins): every unit's rules and overall result, the roll-ups by region and by supervising unit, the packing rows; as JSON, an xlsx workbook (sheets 封面, 单位, 地区汇总, 主管单位汇总, 包销) or a zip of one CSV file per sheet (inspectors of the region, admins; a clerk: 403).",
                  request: nil, success: (200, "Assessment"), query: [("region", "a region code; default every unit (admins)"), ("asOf", "the day the figures are taken on, YYYY-MM-DD (default today in China, none for a year not begun)"), ("format", "json (default), xlsx, or csv (a zip of one file per sheet)"), ("live", "true: today's figures even when a snapshot covers the year and region (as with asOf)")],
                  answersFiles: true),
        Operation(method: "POST", path: "/api/v1/assessments/{year}/snapshots",
                  summary: "Freeze the assessment of the year for ?region= (every unit without it): its figures and sheets as they are now, with the audit chain's head. Exports then show the frozen figures unless ?live=true; a new freeze is a new snapshot (admins).",
                  request: nil, success: (201, "Snapshot"), query: [("region", "a region code; default every unit")]),
        Operation(method: "GET", path: "/api/v1/assessments/{year}/snapshots",
                  summary: "The snapshots of the year for ?region=, oldest first; the last is the one exports show (inspectors of the region, admins).",
                  request: nil, success: (200, "SnapshotList"), query: [("region", "a region code; default every unit (admins)")]),
        Operation(method: "GET", path: "/api/v1/assessments/{year}/changes",
                  summary: "What moved since the latest snapshot of the year for ?region=: each unit whose result or figures changed (result changes first), with the purchases, reversals, findings and status changes booked after the freeze; 404 when the year was not frozen for the region.",
                  request: nil, success: (200, "AssessmentChanges"), query: [("region", "a region code; default every unit (admins)")]),
        Operation(method: "GET", path: "/api/v1/notices/{year}",
                  summary: "The notice (通报) of ?region= (every unit: admins) on the canteen reservation: counts overall and by level, rankings of the regions one level down and of the units, the units not declared, not started and short, and while the year runs the early warning; as JSON, a table (text), CSV or an xlsx workbook (inspectors of the region, admins; a clerk: 403).",
                  request: nil, success: (200, "Notice"), query: [("region", "a region code; default every unit (admins)"), ("asOf", "the day the figures are taken on, YYYY-MM-DD (default today in China)"), ("format", "json (default), table, csv or xlsx")],
                  answersNotices: true),
        Operation(method: "POST", path: "/api/v1/spot-checks",
                  summary: "Draw a reproducible sample of a region's purchases: the same seed and data give the same sample.",
                  request: .json(.spotCheck), success: (201, "SpotCheck"), mayNotFind: true),
    ]

    /// The methods of the operations whose path template fits `segments` (a request's
    /// path split at `/`), in the table's order; none when no path fits.
    static func methods(matching segments: [Substring]) -> [String] {
        operations.filter { operation in
            let template = operation.path.split(separator: "/")
            return template.count == segments.count
                && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }.map(\.method)
    }

    /// The routes the document describes, as `METHOD /path/{param}`.
    public static var routes: [String] { operations.map { "\($0.method) \($0.path)" } }

    static let schemas: [String: String] = [
        "Money": ##"{"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$", "description": "yuan with two decimals"}"##,
        "Amount": ##"{"type": "string", "pattern": "^([1-9][0-9]{0,9}\\.[0-9]{2}|0\\.(0[1-9]|[1-9][0-9]))$", "description": "a positive amount of yuan with two decimals, at most 10 000 000 000.00"}"##,
        "Sum": ##"{"type": "string", "pattern": "^(0|[1-9][0-9]{0,9})\\.[0-9]{2}$", "description": "an amount of yuan with two decimals, not negative"}"##,
        "Problem": ##"{"type": "object", "required": ["type", "title", "status", "detail"], "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"}, "errors": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}, "reason": {"type": "string"}, "line": {"type": "integer"}}}}}}"##,
        "Session": ##"{"type": "object", "properties": {"token": {"type": "string"}, "login": {"type": "string"}, "role": {"type": "string"}}}"##,
        "Unit": ##"{"type": "object", "properties": {"creditCode": {"type": "string"}, "name": {"type": "string"}, "regionCode": {"type": "string"}, "level": {"type": "string"}, "hasCanteen": {"type": "boolean"}, "fiveEntries": {"type": "boolean"}, "assisting": {"type": "boolean"}, "checkCharacterValid": {"type": "boolean"}}}"##,
        "UnitList": ##"{"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}, "nextCursor": {"type": ["string", "null"]}}}"##,
        "Region": ##"{"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "level": {"type": "string"}, "parentCode": {"type": ["string", "null"]}, "povertyRelieved": {"type": "boolean"}}}"##,
        "RegionList": ##"{"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Region"}}}}"##,
        "PolicyList": ##"{"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}}"##,
        "Declaration": ##"{"type": "object", "properties": {"creditCode": {"type": "string"}, "year": {"type": "integer"}, "canteenFoodTotal": {"$ref": "#/components/schemas/Money"}, "reservedAmount": {"$ref": "#/components/schemas/Money"}, "unionWelfareBudget": {"$ref": "#/components/schemas/Money"}, "hasCanteen": {"type": ["boolean", "null"]}, "canteenMode": {"enum": ["own", "outsourced", "shared", null]}, "declaredBy": {"type": ["string", "null"]}, "unionPurchaseNeed": {"type": ["boolean", "null"]}, "declaredRatio": {"type": ["string", "null"]}, "waiver": {"type": ["object", "null"], "properties": {"ratio": {"type": "string"}, "document": {"type": "string"}, "approvedBy": {"type": ["string", "null"]}, "approvedOn": {"type": ["string", "null"]}}}, "declaredOn": {"type": ["string", "null"]}, "version": {"type": "integer"}, "storedAt": {"type": ["string", "null"]}, "storedBy": {"type": ["string", "null"]}, "returned": {"$ref": "#/components/schemas/DeclarationReturn"}, "counted": {"type": ["integer", "null"]}, "latestVersion": {"type": "integer"}, "latestReturned": {"$ref": "#/components/schemas/DeclarationReturn"}, "history": {"type": "array", "items": {"type": "object"}}}}"##,
        "Snapshot": ##"{"type": "object", "required": ["id", "year", "region", "frozenAt", "frozenBy"], "properties": {"id": {"type": "integer"}, "year": {"type": "integer"}, "region": {"type": "string"}, "asOf": {"type": ["string", "null"]}, "frozenAt": {"type": "string"}, "frozenBy": {"type": "string"}, "auditHead": {"type": ["string", "null"]}}}"##,
        "SnapshotList": ##"{"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Snapshot"}}}}"##,
        "AssessmentChanges": ##"{"type": "object", "properties": {"snapshot": {"$ref": "#/components/schemas/Snapshot"}, "units": {"type": "array", "items": {"type": "object", "properties": {"creditCode": {"type": "string"}, "name": {"type": "string"}, "resultChanged": {"type": "boolean"}, "frozen": {"type": ["object", "null"]}, "live": {"type": ["object", "null"]}, "rules": {"type": "array", "items": {"type": "object"}}, "entries": {"type": "array", "items": {"type": "object", "properties": {"kind": {"enum": ["purchase", "reversal", "finding", "statusChange"]}, "orderNo": {"type": "string"}, "detail": {"type": "string"}, "bookedAt": {"type": "string"}}}}}}}, "otherEntries": {"type": "array", "items": {"type": "object"}}}}"##,
        "Notice": ##"{"type": "object", "required": ["year", "scope", "totals", "byLevel", "regions", "units", "notDeclared", "notStarted", "short", "warnings"], "properties": {"year": {"type": "integer"}, "scope": {"type": "object"}, "asOf": {"type": ["string", "null"]}, "madeAt": {"type": "string"}, "inProgress": {"type": "boolean"}, "totals": {"type": "object"}, "byLevel": {"type": "array", "items": {"type": "object"}}, "regions": {"type": "array", "items": {"type": "object"}}, "units": {"type": "array", "items": {"type": "object"}}, "notDeclared": {"type": "array", "items": {"type": "object"}}, "notStarted": {"type": "array", "items": {"type": "object"}}, "short": {"type": "array", "items": {"type": "object"}}, "warnings": {"type": "array", "items": {"type": "object"}}}}"##,
        "Assessment": ##"{"type": "object", "properties": {"year": {"type": "integer"}, "scope": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}, "asOf": {"type": ["string", "null"]}, "madeAt": {"type": "string"}, "auditHead": {"type": ["string", "null"]}, "snapshot": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Snapshot"}]}, "figures": {"enum": ["live", "frozen"]}, "units": {"type": "array", "items": {"type": "object", "properties": {"creditCode": {"type": "string"}, "name": {"type": "string"}, "region": {"type": "string"}, "level": {"type": ["string", "null"]}, "parent": {"type": ["string", "null"]}, "declaration": {"type": "string"}, "overall": {"enum": ["met", "short", "notApplicable"]}, "rejectedPurchases": {"type": "integer"}, "rules": {"type": "array", "items": {"type": "object"}}}}}, "regions": {"type": "array", "items": {"type": "object"}}, "supervising": {"type": "array", "items": {"type": "object"}}, "packing": {"type": "array", "items": {"type": "object", "properties": {"creditCode": {"type": "string"}, "village": {"type": "string"}, "amount": {"type": "string"}, "status": {"type": "string"}}}}}}"##,
        "DeclarationReturn": ##"{"type": ["object", "null"], "properties": {"version": {"type": "integer"}, "reason": {"type": "string"}, "returnedBy": {"type": "string"}, "returnedAt": {"type": "string"}}}"##,
        "AssignmentList": ##"{"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Assignment"}}}}"##,
        "AgreementList": ##"{"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Agreement"}}}}"##,
        "Purchase": ##"{"type": "object", "properties": {"id": {"type": "integer"}, "creditCode": {"type": "string"}, "orderNo": {"type": "string"}, "orderDate": {"type": "string", "format": "date"}, "channel": {"type": "string"}, "category": {"type": "string"}, "originCode": {"type": "string"}, "amount": {"$ref": "#/components/schemas/Money"}, "status": {"type": "string"}, "festival": {"type": ["string", "null"]}, "reversalOf": {"type": ["string", "null"]}, "counted": {"type": "boolean"}, "supplierName": {"type": ["string", "null"]}, "supplierCreditCode": {"type": ["string", "null"]}, "product": {"type": ["string", "null"]}, "storedStatus": {"type": "string"}, "history": {"type": "array", "items": {"type": "object", "properties": {"from": {"type": "string"}, "to": {"type": "string"}, "changedOn": {"type": "string"}, "bookedAt": {"type": ["string", "null"]}, "bookedBy": {"type": ["string", "null"]}}}}}}"##,
        "PurchaseList": ##"{"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Purchase"}}, "nextCursor": {"type": ["string", "null"]}}}"##,
        "ImportSummary": ##"{"type": "object", "properties": {"rows": {"type": "integer"}, "stored": {"type": "integer"}, "unchanged": {"type": "integer"}, "statusChanges": {"type": "integer"}, "dryRun": {"type": "boolean"}, "refusedRows": {"type": "integer"}, "refused": {"type": "array", "items": {"type": "object", "properties": {"line": {"type": "integer"}, "field": {"type": "string"}, "reason": {"type": "string"}}}}, "encoding": {"type": "string", "enum": ["utf-8", "gb18030"]}, "warnings": {"type": "array", "items": {"type": "object"}}}}"##,
        "Finding": ##"{"type": "object", "properties": {"id": {"type": "integer"}, "purchaseId": {"type": "integer"}, "verdict": {"type": "string"}, "reason": {"type": "string"}, "inspector": {"type": "string"}, "recordedAt": {"type": "string", "format": "date-time"}}}"##,
        "ComplianceReport": ##"{"type": "object", "properties": {"year": {"type": "integer"}, "supervising": {"type": "array", "items": {"type": "object"}}, "regions": {"type": "array", "items": {"type": "object"}}, "units": {"type": "array", "items": {"type": "object", "properties": {"creditCode": {"type": "string"}, "name": {"type": "string"}, "region": {"type": "string"}, "parent": {"type": ["string", "null"]}, "declaration": {"enum": ["declared", "late", "missing", "noCanteen", "sharedBy", "returned"]}, "deadline": {"type": ["string", "null"]}, "returned": {"$ref": "#/components/schemas/DeclarationReturn"}, "sharedBy": {"type": ["object", "null"], "properties": {"creditCode": {"type": "string"}, "name": {"type": "string"}}}, "sharedCanteen": {"type": "array", "items": {"type": "object"}}, "rules": {"type": "array", "items": {"type": "object", "properties": {"rule": {"type": "string"}, "pack": {"type": "string"}, "status": {"enum": ["met", "short", "notApplicable"]}, "base": {"type": ["string", "null"]}, "required": {"type": ["string", "null"]}, "actual": {"type": ["string", "null"]}, "shortfall": {"type": ["string", "null"]}, "ratio": {"type": ["string", "null"]}, "projection": {"type": ["string", "null"]}, "strength": {"enum": ["required", "encouraged"]}, "encouraged": {"type": ["string", "null"]}, "waiver": {"type": ["object", "null"]}, "notes": {"type": "array", "items": {"type": "string"}}}}}}}}}}"##,
        "SpotCheck": ##"{"type": "object", "properties": {"region": {"type": "string"}, "year": {"type": "integer"}, "includeAll": {"type": "boolean"}, "seed": {"type": "string"}, "size": {"type": "integer"}, "population": {"type": "integer"}, "purchases": {"type": "array", "items": {"$ref": "#/components/schemas/Purchase"}}}}"##,
    ]

    /// The document as JSON text.
    public static let json: String = {
        var paths: [String: [String]] = [:]
        var order: [String] = []
        for operation in operations {
            if paths[operation.path] == nil { order.append(operation.path) }
            paths[operation.path, default: []].append(render(operation))
        }
        let pathText = order.map { "\(JSONText.string($0)): {" + paths[$0]!.joined(separator: ", ") + "}" }
        var all = schemas
        for body in WireBody.all { all[body.name] = body.schema }
        let schemaText = all.keys.sorted().map { "\(JSONText.string($0)): \(all[$0]!)" }
        return """
            {"openapi": "3.1.0", "info": {"title": "setaside", "version": "1", "description": "The ledger and referee of consumption-assistance procurement (消费帮扶采购). Errors are application/problem+json."}, \
            "servers": [{"url": "/"}], \
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": {\(schemaText.joined(separator: ", "))}}, \
            "security": [{"bearer": []}], \
            "paths": {\(pathText.joined(separator: ", "))}}
            """
    }()

    static func render(_ operation: Operation) -> String {
        var parameters: [String] = []
        for part in operation.path.split(separator: "/") where part.hasPrefix("{") {
            let name = String(part.dropFirst().dropLast())
            parameters.append("{\"name\": \(JSONText.string(name)), \"in\": \"path\", \"required\": true, \"schema\": \(schema(of: name, in: operation.path))}")
        }
        for (name, description) in operation.query {
            parameters.append("{\"name\": \(JSONText.string(name)), \"in\": \"query\", "
                              + "\"required\": \(operation.requiredQuery.contains(name)), "
                              + "\"description\": \(JSONText.string(description)), \"schema\": \(schema(of: name, in: operation.path))}")
        }
        if operation.method == "POST", operation.path.hasSuffix("/purchases") || operation.path.hasSuffix("/reversal") {
            parameters.append("{\"name\": \"Idempotency-Key\", \"in\": \"header\", \"required\": false, \"schema\": {\"type\": \"string\"}}")
        }
        var text = "\(JSONText.string(operation.method.lowercased())): {\"summary\": \(JSONText.string(operation.summary))"
        text += ", \"operationId\": \(JSONText.string(operationID(operation)))"
        if !parameters.isEmpty { text += ", \"parameters\": [" + parameters.joined(separator: ", ") + "]" }
        if let request = operation.request {
            let content = switch request {
            case .csv: "\"text/csv\": {\"schema\": {\"type\": \"string\"}}"
            case .orderExport: "\"text/csv\": {\"schema\": {\"type\": \"string\"}}, "
                + "\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\": {\"schema\": {\"type\": \"string\", \"format\": \"binary\"}}"
            case .json(let body): "\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/\(body.name)\"}}"
            }
            text += ", \"requestBody\": {\"required\": true, \"content\": {\(content)}}"
        }
        if operation.isPublic { text += ", \"security\": []" }
        let otherTypes = operation.answersFiles ? AssessmentFormat.allCases.filter { $0 != .json }.map(\.contentType)
            : operation.answersNotices ? NoticeFormat.allCases.filter { $0 != .json }.map(\.contentType) : []
        let files = otherTypes.map {
            ", \(JSONText.string($0)): {\"schema\": {\"type\": \"string\", \"format\": \"binary\"}}"
        }.joined()
        let success = operation.success.schema.map {
            "\"content\": {\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/\($0)\"}}\(files)}"
        }
        let problem = "\"content\": {\"application/problem+json\": {\"schema\": {\"$ref\": \"#/components/schemas/Problem\"}}}"
        var responses = ["\"\(operation.success.status)\": {\"description\": \"success\"\(success.map { ", " + $0 } ?? "")}"]
        if let other = operation.otherSuccess {
            responses.append("\"\(other)\": {\"description\": \(JSONText.string(other == 201 ? "created" : "stored already"))"
                             + "\(success.map { ", " + $0 } ?? "")}")
        }
        for (code, description) in operation.errors {
            responses.append("\"\(code)\": {\"description\": \(JSONText.string(description)), \(problem)}")
        }
        text += ", \"responses\": {" + responses.joined(separator: ", ") + "}}"
        return text
    }

    /// The schema of a path or query parameter of the operation on `path`, with the
    /// limits the routes check.
    static func schema(of parameter: String, in path: String) -> String {
        func choices<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> String where T.RawValue == String {
            "{\"type\": \"string\", \"enum\": [" + T.allCases.map { JSONText.string($0.rawValue) }.joined(separator: ", ") + "]}"
        }
        switch parameter {
        case "creditCode": return "{\"type\": \"string\", \"pattern\": \(JSONText.string(creditCodePattern))}"
        case "code", "under", "origin", "region": return "{\"type\": \"string\", \"pattern\": \(JSONText.string(divisionCodePattern))}"
        case "cursor":
            let pattern = path == "/api/v1/units" ? unitCursorPattern : purchaseCursorPattern
            return "{\"type\": \"string\", \"pattern\": \(JSONText.string(pattern))}"
        case "year": return "{\"type\": \"integer\", \"minimum\": \(Year.range.lowerBound), \"maximum\": \(Year.range.upperBound)}"
        case "limit": return "{\"type\": \"integer\", \"minimum\": 1, \"maximum\": 1000}"
        case "id": return "{\"type\": \"integer\", \"minimum\": 1}"
        case "asOf": return "{\"type\": \"string\", \"pattern\": \(JSONText.string(datePattern))}"
        case "channel": return choices(PurchaseChannel.self)
        case "category": return choices(PurchaseCategory.self)
        case "status": return choices(PurchaseStatus.self)
        case "format" where path.hasPrefix("/api/v1/assessments"): return choices(AssessmentFormat.self)
        case "format" where path.hasPrefix("/api/v1/notices"): return choices(NoticeFormat.self)
        case "live", "dryRun": return "{\"type\": \"boolean\"}"
        case "festival": return "{\"type\": \"string\", \"minLength\": 1, \"maxLength\": 32}"
        default: return "{\"type\": \"string\", \"maxLength\": \(QueryTextMiddleware.maxLength)}"
        }
    }

    /// A unified social credit code: 18 characters of its alphabet (upper or lower case).
    static let creditCodePattern = "^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$"
    /// An administrative division code: 6, 9 or 12 digits, the province's not 00.
    static let divisionCodePattern = "^[1-9][0-9]{5}([0-9]{3}){0,2}$"
    /// A page of purchases' cursor: the last purchase id.
    static let purchaseCursorPattern = "^[0-9]{1,18}$"
    /// A page of units' cursor: the credit code it ended at.
    static let unitCursorPattern = "^[0-9A-HJ-NPQRTUWXY]{18}$"
    /// A day of the years setaside takes (2000–2999), `YYYY-MM-DD`. A pattern rather than
    /// `format: date`, which knows no range of years; a 30 February fits it and is refused.
    static let datePattern = "^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

    static func operationID(_ operation: Operation) -> String {
        let words = operation.path.split(separator: "/").filter { $0 != "api" && $0 != "v1" }.map { part in
            part.hasPrefix("{") ? "By" + part.dropFirst().prefix(1).uppercased() + part.dropFirst(2).dropLast() : String(part)
        }
        return operation.method.lowercased() + words.map { $0.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ".", with: "") }
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
