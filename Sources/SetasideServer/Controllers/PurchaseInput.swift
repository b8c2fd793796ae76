import Hummingbird
import SetasideCore

/// A purchase sent as JSON: its fields decoded into a `PurchaseDraft`, then the draft's
/// checks, the same as a row of a purchases file; every problem named by its JSON field.
enum PurchaseInput {
    /// Reads the body of `POST …/purchases` for the unit `creditCode`.
    static func read(_ buffer: ByteBuffer, creditCode: String) throws -> PurchaseRecord {
        var body = try JSONBody.parse(buffer, as: .purchase)
        var draft = PurchaseDraft()
        draft.creditCode = body.unit(creditCode)
        draft.orderNo = body.string("orderNo").flatMap { body.checked("orderNo", String(FieldValue.trimmed($0)), FieldValue.orderNumber) }
        draft.orderDate = body.date("orderDate")
        draft.channel = body.choice("channel", PurchaseChannel.self)
        draft.category = body.choice("category", PurchaseCategory.self)
        draft.originCode = body.division("originCode")
        draft.amount = body.money("amount")
        draft.status = body.choice("status", PurchaseStatus.self, default: .completed)
        draft.festival = body.string("festival", required: false).flatMap { FieldValue.optional($0) }
        draft.reversalOf = body.optional("reversalOf", FieldValue.storable)
        draft.supplierName = body.optional("supplierName", FieldValue.name)
        draft.supplierCreditCode = body.string("supplierCreditCode", required: false).flatMap { FieldValue.optional($0) }
            .flatMap { body.unit($0, field: "supplierCreditCode") }
        draft.product = body.optional("product", FieldValue.name)
        var warnings: [InputProblem] = []
        let (record, problems) = draft.checked(warnings: &warnings)
        for problem in problems { body.problem(problem.inJSONTerms.field, problem.reason) }
        try body.finish()
        guard let record else { throw Problem.validation(body.problems) }
        return record
    }
}
