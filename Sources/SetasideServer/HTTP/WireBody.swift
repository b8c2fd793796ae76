import SetasideCore

/// A JSON request body as the API takes it: its fields, their JSON schemas and which are
/// required. One definition: the controllers read bodies by it (`JSONBody`), and the
/// OpenAPI document describes them from it.
struct WireBody: Sendable {
    struct Field: Sendable {
        var name: String
        /// The field's JSON schema, as JSON text.
        var schema: String
        var required: Bool
    }

    /// The schema's name in the OpenAPI document.
    var name: String
    var fields: [Field]

    /// The names a body may have.
    var allowed: Set<String> { Set(fields.map(\.name)) }

    /// The object schema, as JSON text.
    var schema: String {
        let required = fields.filter(\.required).map { JSONText.string($0.name) }
        let properties = fields.map { "\(JSONText.string($0.name)): \($0.schema)" }
        return "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\(required.joined(separator: ", "))], "
            + "\"properties\": {\(properties.joined(separator: ", "))}}"
    }
}

extension WireBody.Field {
    static func string(_ name: String, required: Bool = true) -> Self { .init(name: name, schema: #"{"type": "string"}"#, required: required) }
    static func date(_ name: String, required: Bool = true) -> Self {
        .init(name: name, schema: "{\"type\": \"string\", \"pattern\": \(JSONText.string(OpenAPIDocument.datePattern))}",
              required: required)
    }
    /// An amount of yuan as a string; `kind` names its schema: `Money` (any sign), `Amount`
    /// (positive), `Sum` (not negative).
    static func money(_ name: String, _ kind: String = "Money", required: Bool = true) -> Self {
        .init(name: name, schema: "{\"$ref\": \"#/components/schemas/\(kind)\"}", required: required)
    }
    static func integer(_ name: String, required: Bool = true) -> Self { .init(name: name, schema: #"{"type": "integer"}"#, required: required) }
    static func year(_ name: String) -> Self {
        .init(name: name, schema: "{\"type\": \"integer\", \"minimum\": \(Year.range.lowerBound), \"maximum\": \(Year.range.upperBound)}",
              required: true)
    }
    static func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, required: Bool = true) -> Self
    where T.RawValue == String {
        .init(name: name, schema: "{\"enum\": [\(T.allCases.map { JSONText.string($0.rawValue) }.joined(separator: ", "))]}",
              required: required)
    }
    static func flag(_ name: String, _ description: String) -> Self {
        .init(name: name, schema: #"{"type": "boolean", "default": false, "description": "\#(description)"}"#, required: false)
    }
    static func nullableString(_ name: String) -> Self { .init(name: name, schema: #"{"type": ["string", "null"]}"#, required: false) }
    /// An administrative division code (a region, a village, a product's origin).
    static func divisionCode(_ name: String) -> Self {
        .init(name: name, schema: "{\"type\": \"string\", \"pattern\": \(JSONText.string(OpenAPIDocument.divisionCodePattern))}",
              required: true)
    }
    /// An order number: at most 64 bytes of UTF-8 (the schema can say 64 characters only).
    static func orderNumber(_ name: String, required: Bool = true) -> Self {
        .init(name: name, schema: "{\"type\": \(required ? "\"string\"" : "[\"string\", \"null\"]"), \"minLength\": 1, "
                  + "\"maxLength\": \(FieldValue.maxOrderNumberBytes)}",
              required: required)
    }
}

extension WireBody {
    static let login = WireBody(name: "Login", fields: [.string("login"), .string("password")])
    static let declaration = WireBody(name: "DeclarationInput", fields: [
        .money("canteenFoodTotal", "Sum"), .money("reservedAmount", "Sum"), .money("unionWelfareBudget", "Sum"),
        .init(name: "hasCanteen", schema: #"{"type": ["boolean", "null"], "description": "有食堂 (true) or 无食堂 (false) that year; null: the unit's own flag"}"#, required: false),
        .init(name: "canteenMode", schema: #"{"enum": ["own", "outsourced", "shared", null], "description": "how the canteen is run; shared (共用食堂) with declaredBy"}"#, required: false),
        .init(name: "declaredBy", schema: #"{"type": ["string", "null"], "pattern": "^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$", "description": "with canteenMode shared: the credit code of the unit that declares for the group"}"#, required: false),
        .init(name: "unionPurchaseNeed", schema: #"{"type": ["boolean", "null"], "description": "是否有工会采购需求; null: it has"}"#, required: false),
        .init(name: "declaredRatio", schema: Self.ratioSchema, required: false),
        .init(name: "approvedRatio", schema: Self.ratioSchema, required: false),
        .init(name: "approvalDocument", schema: #"{"type": ["string", "null"], "maxLength": 200}"#, required: false),
        .init(name: "approvedBy", schema: #"{"type": ["string", "null"], "maxLength": 200}"#, required: false),
        .init(name: "approvedOn", schema: "{\"type\": [\"string\", \"null\"], \"pattern\": \(JSONText.string(OpenAPIDocument.datePattern))}",
              required: false),
    ])
    static let declarationReturn = WireBody(name: "DeclarationReturnInput", fields: [
        .init(name: "reason", schema: #"{"type": "string", "minLength": 1, "maxLength": 2000, "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff][^\\u0000-\\u001f\\u007f]*$", "description": "why it is sent back, as the unit reads it: not only spaces, no control characters"}"#,
              required: true),
        .init(name: "version", schema: #"{"type": ["integer", "null"], "minimum": 1, "maximum": 2147483647, "description": "the version returned, as read: refused (409) when it is no longer the latest"}"#,
              required: false),
    ])
    /// A percentage of 0 to 100 with at most two decimals, as a string.
    static let ratioSchema = #"{"type": ["string", "null"], "pattern": "^(100(\\.0{1,2})?|[0-9]{1,2}(\\.[0-9]{1,2})?)$"}"#
    static let assignment = link(Year.self, name: "Assignment")
    static let agreement = link(CalendarDate.self, name: "Agreement")

    /// The body of a village link: the village and its span's bounds.
    static func link<Bound: JSONLinkBound>(_ bound: Bound.Type, name: String) -> WireBody {
        let kind = Bound.linkKind
        return WireBody(name: name, fields: [.divisionCode("villageCode"), Bound.wireField(kind.jsonFrom), Bound.wireField(kind.jsonTo)])
    }

    /// The body of links of `Bound`'s kind.
    static func link<Bound: JSONLinkBound>(_ bound: Bound.Type) -> WireBody {
        Bound.linkKind == .assignment ? assignment : agreement
    }
    static let purchase = WireBody(name: "PurchaseInput", fields: [
        .orderNumber("orderNo"), .date("orderDate"), .choice("channel", PurchaseChannel.self),
        .choice("category", PurchaseCategory.self), .divisionCode("originCode"), .money("amount"),
        .choice("status", PurchaseStatus.self, required: false), .nullableString("festival"),
        .orderNumber("reversalOf", required: false),
        .init(name: "supplierName", schema: #"{"type": ["string", "null"], "maxLength": 200}"#, required: false),
        .init(name: "supplierCreditCode", schema: #"{"type": ["string", "null"], "pattern": "^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$"}"#, required: false),
        .init(name: "product", schema: #"{"type": ["string", "null"], "maxLength": 200}"#, required: false),
    ])
    static let reversal = WireBody(name: "ReversalInput", fields: [.money("amount", "Amount"), .orderNumber("orderNo"), .date("orderDate")])
    static let statusChange = WireBody(name: "StatusChangeInput", fields: [
        .choice("status", PurchaseStatus.self),
        .init(name: "changedOn", schema: "{\"type\": [\"string\", \"null\"], \"pattern\": \(JSONText.string(OpenAPIDocument.datePattern)), \"description\": \"the day it was paid, cancelled or refunded; default today in China\"}",
              required: false),
    ])
    static let finding = WireBody(name: "FindingInput", fields: [
.choice("verdict", FindingVerdict.self), .nullableString("reason"),
    ])
    static let spotCheck = WireBody(name: "SpotCheckInput", fields: [
.divisionCode("region"), .year("year"),
        .init(name: "size", schema: #"{"type": "integer", "minimum": 1, "maximum": 10000}"#, required: true),
        .init(name: "seed", schema: #"{"oneOf": [{"type": "string", "pattern": "^[^\\u0000-\\u001f\\u007f]{1,200}$"}, {"type": "integer", "minimum": -9007199254740991, "maximum": 9007199254740991}], "description": "any text (1 to 200 characters) or whole number (larger ones as text); 42 and \"42\" are the same seed"}"#,
              required: true),
        .flag("includeAll", "false (the default): the year's counted orders, as the report adds them up; true: every row of the year, cancelled, refunded, rejected and reversal rows too"),
    ])

    /// Every request body of the API.
    static let all: [WireBody] = [login, declaration, declarationReturn, assignment, agreement, purchase, reversal, statusChange, finding, spotCheck]
}
