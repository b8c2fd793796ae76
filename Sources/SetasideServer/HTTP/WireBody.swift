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
        .init(name: name, schema: #"{"type": "string", "format": "date"}"#, required: required)
    }
    static func money(_ name: String, required: Bool = true) -> Self {
        .init(name: name, schema: ##"{"$ref": "#/components/schemas/Money"}"##, required: required)
    }
    static func integer(_ name: String, required: Bool = true) -> Self { .init(name: name, schema: #"{"type": "integer"}"#, required: required) }
    static func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, required: Bool = true) -> Self
    where T.RawValue == String {
        .init(name: name, schema: "{\"enum\": [\(T.allCases.map { JSONText.string($0.rawValue) }.joined(separator: ", "))]}",
              required: required)
    }
    static func nullableString(_ name: String) -> Self { .init(name: name, schema: #"{"type": ["string", "null"]}"#, required: false) }
}

extension WireBody {
    static let login = WireBody(name: "Login", fields: [.string("login"), .string("password")])
    static let declaration = WireBody(name: "DeclarationInput", fields: [
        .money("canteenFoodTotal"), .money("reservedAmount"), .money("unionWelfareBudget"),
    ])
    static let assignment = link(Year.self, name: "Assignment")
    static let agreement = link(CalendarDate.self, name: "Agreement")

    /// The body of a village link: the village and its span's bounds.
    static func link<Bound: JSONLinkBound>(_ bound: Bound.Type, name: String) -> WireBody {
        let kind = Bound.linkKind
        return WireBody(name: name, fields: [.string("villageCode"), Bound.wireField(kind.jsonFrom), Bound.wireField(kind.jsonTo)])
    }

    /// The body of links of `Bound`'s kind.
    static func link<Bound: JSONLinkBound>(_ bound: Bound.Type) -> WireBody {
        Bound.linkKind == .assignment ? assignment : agreement
    }
    static let purchase = WireBody(name: "PurchaseInput", fields: [
        .string("orderNo"), .date("orderDate"), .choice("channel", PurchaseChannel.self),
        .choice("category", PurchaseCategory.self), .string("originCode"), .money("amount"),
        .choice("status", PurchaseStatus.self, required: false), .nullableString("festival"), .nullableString("reversalOf"),
    ])
    static let reversal = WireBody(name: "ReversalInput", fields: [.money("amount"), .string("orderNo"), .date("orderDate")])
    static let finding = WireBody(name: "FindingInput", fields: [
        .choice("verdict", FindingVerdict.self), .string("reason", required: false),
    ])
    static let spotCheck = WireBody(name: "SpotCheckInput", fields: [
        .string("region"), .integer("year"),
        .init(name: "size", schema: #"{"type": "integer", "minimum": 1, "maximum": 10000}"#, required: true),
        .init(name: "seed", schema: #"{"type": ["string", "integer"], "description": "any text or whole number; 42 and \"42\" are the same seed"}"#,
              required: true),
    ])

    /// Every request body of the API.
    static let all: [WireBody] = [login, declaration, assignment, agreement, purchase, reversal, finding, spotCheck]
}
