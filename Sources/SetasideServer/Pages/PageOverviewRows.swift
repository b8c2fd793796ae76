/// The rows of the region overview's table, written in code: a province's overview has a
/// row per unit, and swift-mustache looks each value up through its context stack with
/// dynamic casts (about 5 µs a value, measured with perf under `scripts/bench-pages.sh`),
/// which made the rows most of the page's time. The rest of the page is its template's
/// (`overview.mustache`, which places these rows with `{{{unitRows}}}`).
struct PageOverviewRow {
    var creditCode: String
    var name: String
    var region: String
    /// A `DeclarationState` and an overall `RuleStatus` (raw values: class names) with
    /// their labels in the reader's words.
    var declarationState: String
    var declaration: String
    var overall: String
    var overallLabel: String
    /// The required shortfall in yuan, or "–".
    var shortfall: String

    /// The `<tr>`s of `rows`, each unit linked to its page for `year`.
    static func html(_ rows: [PageOverviewRow], year: Int) -> String {
        var out = ""
        out.reserveCapacity(rows.count * 480)
        for row in rows {
            let code = PageHTML.escaped(row.creditCode)
            out += """
                <tr class="status-\(PageHTML.escaped(row.overall))">\
                <th scope="row"><a href="/units/\(code)?year=\(year)">\(PageHTML.escaped(row.name))</a><br><small>\(code)</small></th>\
                <td>\(PageHTML.escaped(row.region))</td>\
                <td><span class="badge state-\(PageHTML.escaped(row.declarationState))">\(PageHTML.escaped(row.declaration))</span></td>\
                <td><span class="badge status-\(PageHTML.escaped(row.overall))">\(PageHTML.escaped(row.overallLabel))</span></td>\
                <td class="num">\(PageHTML.escaped(row.shortfall))</td></tr>

                """
        }
        return out
    }
}
