import SetasideCore

/// How a request and a response write the bound of a village link's span: a year as a
/// whole number, a day as a string `YYYY-MM-DD`.
protocol JSONLinkBound: LinkBound {
    /// The bound as a JSON value.
    var json: String { get }
    /// Reads the bound from `field` of `body`: nil with a problem when it is not one.
    static func read(_ body: inout JSONBody, _ field: String) -> Self?
    /// The field's schema in a request body.
    static func wireField(_ name: String) -> WireBody.Field
}

extension Year: JSONLinkBound {
    var json: String { String(value) }
    static func read(_ body: inout JSONBody, _ field: String) -> Year? { body.year(field) }
    static func wireField(_ name: String) -> WireBody.Field { .year(name) }
}

extension CalendarDate: JSONLinkBound {
    var json: String { JSONText.string(iso) }
    static func read(_ body: inout JSONBody, _ field: String) -> CalendarDate? { body.date(field) }
    static func wireField(_ name: String) -> WireBody.Field { .date(name) }
}

extension VillageLinkKind {
    /// The JSON names of the span's fields (`yearFrom`, `validTo`).
    var jsonFrom: String { InputProblem.jsonName(ofColumn: fromColumn) }
    var jsonTo: String { InputProblem.jsonName(ofColumn: toColumn) }
}
