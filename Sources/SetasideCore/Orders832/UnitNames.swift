/// The units an order export's buyer column may name, by credit code or by name.
public struct UnitNames: Sendable {
    let codes: Set<String>
    let byName: [String: [String]]

    public init(_ units: [(creditCode: String, name: String)]) {
        codes = Set(units.map(\.creditCode))
        var byName: [String: [String]] = [:]
        for unit in units { byName[unit.name, default: []].append(unit.creditCode) }
        self.byName = byName
    }

    /// The unit `text` names: a stored credit code (which always wins), else the one unit
    /// of that name; the codes of every unit of that name when several bear it.
    public func lookUp(_ text: String) -> (code: String?, namesakes: [String]) {
        if let code = try? CreditCode(parsing: text), codes.contains(code.text) { return (code.text, []) }
        let found = byName[text] ?? []
        return found.count == 1 ? (found[0], []) : (nil, found.sorted())
    }
}
