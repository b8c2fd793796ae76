import Hummingbird
import SetasideCore

/// A purchase sent as JSON, checked by the same rules as a row of a purchases file
/// (`ImportParser.purchase(fields:)`), with its problems named by the JSON fields.
enum PurchaseInput {
    static let fields: [(json: String, csv: String)] = [
        ("orderNo", "order_no"), ("orderDate", "order_date"), ("channel", "channel"), ("category", "category"),
        ("originCode", "origin_code"), ("amount", "amount"), ("status", "status"), ("festival", "festival"),
        ("reversalOf", "reversal_of"),
    ]

    /// Reads the body of `POST …/purchases` for the unit `creditCode`.
    static func read(_ buffer: ByteBuffer, creditCode: String) throws -> PurchaseRecord {
        var body = try JSONBody.parse(buffer, allowed: Set(fields.map(\.json)))
        var values: [String: String] = ["credit_code": creditCode]
        for (json, csv) in fields {
            let required = ["orderNo", "orderDate", "channel", "category", "originCode", "amount"].contains(json)
            if json == "amount" {
                values[csv] = body.money(json).map(\.yuanString) ?? ""
            } else {
                values[csv] = body.string(json, required: required) ?? (json == "status" ? "completed" : "")
            }
        }
        try body.finish()
        return try record(values)
    }

    /// Checks one purchase given by CSV column name, with problems named by JSON field.
    static func record(_ values: [String: String]) throws -> PurchaseRecord {
        let checked = Result { () throws(ImportError) in try ImportParser.purchase(fields: values) }
        switch checked {
        case .success(let record):
            return record
        case .failure(.rejected(let problems)):
            throw Problem.validation(problems.map { ImportProblem(line: 0, field: jsonNames[$0.field] ?? $0.field, reason: $0.reason) })
        case .failure(let error):
            throw error
        }
    }

    static let jsonNames = Dictionary(uniqueKeysWithValues: fields.map { ($0.csv, $0.json) } + [("credit_code", "creditCode")])
}
