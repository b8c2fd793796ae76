import SetasideCore

/// The monthly chart drawn on the server as inline SVG: a bar a month of eligible spend
/// to date, and the pace the requirement needs as a line. Every text in it is escaped;
/// its figures are also in a table beside it.
enum PageChart {
    static let width = 640, height = 240, left = 48, bottom = 28, top = 12

    /// The chart of `progress`, its months labelled by the catalogue.
    static func svg(_ progress: MonthlyProgress, words: PageCatalogue) -> String {
        let plotHeight = height - bottom - top, slot = (width - left) / 12
        let highest = ([progress.required] + progress.cumulative).max() ?? .zero
        func y(_ money: Money) -> Int { top + plotHeight - Int(money.parts(of: highest, scale: Int64(plotHeight))) }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"chart-title\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">\(PageHTML.escaped(progress.name))</title>"
        out += "<line class=\"axis\" x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(width)\" y2=\"\(top + plotHeight)\"/>"
        for (index, amount) in progress.cumulative.enumerated() {
            let x = left + index * slot + slot / 5, barTop = y(amount)
            let behind = amount < progress.pace(month: index + 1)
            out += "<rect class=\"month\(behind ? " behind" : "")\" x=\"\(x)\" y=\"\(barTop)\" width=\"\(slot * 3 / 5)\" "
                + "height=\"\(top + plotHeight - barTop)\"><title>\(PageHTML.escaped(words.text("monthLabel", index + 1))): "
                + "\(amount.groupedYuanString)</title></rect>"
        }
        let points = (0...12).map { month in
            "\(left + month * slot),\(month == 0 ? top + plotHeight : y(progress.pace(month: month)))"
        }
        out += "<polyline class=\"pace\" points=\"\(points.joined(separator: " "))\"/>"
        for month in 1...12 {
            out += "<text x=\"\(left + (month - 1) * slot + slot / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">"
                + "\(PageHTML.escaped(words.text("monthLabel", month)))</text>"
        }
        out += "<text x=\"4\" y=\"\(top + 10)\">\(PageHTML.escaped(highest.groupedYuanString))</text>"
        return out + "</svg>"
    }

    /// The chart's figures as table rows: each month's spend, to date, and the pace.
    static func rows(_ progress: MonthlyProgress, words: PageCatalogue) -> [[String: Any]] {
        zip(progress.monthly, progress.cumulative).enumerated().map { index, pair in
            ["month": words.text("monthLabel", index + 1), "spent": pair.0.groupedYuanString,
             "toDate": pair.1.groupedYuanString, "pace": progress.pace(month: index + 1).groupedYuanString,
             "behind": pair.1 < progress.pace(month: index + 1)]
        }
    }
}
