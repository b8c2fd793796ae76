extension Notice {
    /// The notice laid out as sheets (the workbook's, the CSV files', the terminal's
    /// tables): 概况, 地区排名, 单位排名, 未申报, 已申报未启动, 未达标 and, while the year
    /// runs, 进度预警.
    public var sheets: [Sheet] {
        var sheets = [summarySheet, rankingSheet(name: "地区排名", regions, codeHeader: "地区代码", nameHeader: "地区名称"),
                      rankingSheet(name: "单位排名", units, codeHeader: "统一社会信用代码", nameHeader: "单位名称"),
                      listSheet(name: "未申报", notDeclared, figures: []),
                      listSheet(name: "已申报未启动", notStarted, figures: [.required]),
                      listSheet(name: "未达标", short, figures: [.required, .actual, .shortfall])]
        if inProgress {
            sheets.append(listSheet(name: "进度预警", warnings, figures: [.required, .actual, .shortfall, .projection, .monthly]))
        }
        return sheets
    }

    /// Whether the notice is made during its year (the early warning applies).
    public var inProgress: Bool { asOf.map { $0.year == year } ?? false }

    var summarySheet: Sheet {
        let rows = [("全部", totals)] + byLevel.map { ($0.group.chinese, $0.counts) }
        return Sheet(
            name: "概况",
            preamble: [SheetLine("年度", .integer(year)), SheetLine("通报范围代码", .text(scope.code)), SheetLine("通报范围", .text(scope.name)),
                       SheetLine("截至日期", asOf.map { .text($0.iso) } ?? .text("全年")), SheetLine("生成时间", .text(madeAt))],
            columns: [SheetColumn("口径", width: 12), SheetColumn("单位数", width: 8), SheetColumn("有食堂", width: 8),
                      SheetColumn("已申报", width: 8), SheetColumn("未申报", width: 8), SheetColumn("已申报未启动", width: 12),
                      SheetColumn("达标", width: 8), SheetColumn("未达标", width: 8), SheetColumn("申报食材总额（元）", width: 18),
                      SheetColumn("预留金额（元）", width: 16), SheetColumn("已采购（元）", width: 16), SheetColumn("执行率", width: 10)],
            rowCount: rows.count
        ) { index in
            let (label, counts) = rows[index]
            return [.text(label), .integer(counts.units), .integer(counts.withCanteen), .integer(counts.declared),
                    .integer(counts.notDeclared), .integer(counts.notStarted), .integer(counts.met), .integer(counts.short),
                    .money(counts.declaredTotal), .money(counts.reserved), .money(counts.bought),
                    counts.executionRate.map(SheetCell.percent) ?? .empty]
        }
    }

    /// A ranking: a region's row counts its units; a unit's row says whether it meets the rule.
    func rankingSheet(name: String, _ rows: [NoticeRanking], codeHeader: String, nameHeader: String) -> Sheet {
        let ofUnits = codeHeader == "统一社会信用代码"
        let counts = ofUnits
            ? [SheetColumn("状态", width: 8)]
            : [SheetColumn("有食堂单位", width: 10), SheetColumn("适用单位", width: 8), SheetColumn("达标单位", width: 8)]
        return Sheet(
            name: name,
            columns: [SheetColumn("名次", width: 6), SheetColumn(codeHeader, width: 20), SheetColumn(nameHeader, width: 28)] + counts
                + [SheetColumn("基数（元）", width: 16), SheetColumn("应达（元）", width: 16), SheetColumn("实际（元）", width: 16),
                   SheetColumn("完成率", width: 10), SheetColumn("实际比例", width: 10), SheetColumn("要求比例", width: 10),
                   SheetColumn("鼓励比例", width: 10)],
            frozenColumns: 3, rowCount: rows.count
        ) { index in
            let row = rows[index]
            let counts: [SheetCell] = ofUnits
                ? [.text(ChineseWords.status(row.met == row.applicable ? .met : .short))]
                : [.integer(row.units), .integer(row.applicable), .integer(row.met)]
            return [.integer(index + 1), .text(row.code), .text(row.name)] + counts
                + [.money(row.base), .money(row.required), .money(row.actual),
                   row.completion.map(SheetCell.percent) ?? .empty, row.ratio.map(SheetCell.percent) ?? .empty,
                   row.requiredRatio.map(SheetCell.percent) ?? .empty, row.encouragedRatio.map(SheetCell.percent) ?? .empty]
        }
    }

    enum Figure { case required, actual, shortfall, projection, monthly }

    func listSheet(name: String, _ rows: [NamedUnit], figures: [Figure]) -> Sheet {
        let headers: [Figure: SheetColumn] = [
            .required: SheetColumn("应达（元）", width: 16), .actual: SheetColumn("实际（元）", width: 16),
            .shortfall: SheetColumn("差额（元）", width: 16), .projection: SheetColumn("预计年末比例", width: 12),
            .monthly: SheetColumn("今后每月需采购（元）", width: 20),
        ]
        return Sheet(
            name: name,
            columns: [SheetColumn("统一社会信用代码", width: 20), SheetColumn("单位名称", width: 30), SheetColumn("地区代码", width: 14),
                      SheetColumn("主管单位代码", width: 20), SheetColumn("主管单位", width: 24)] + figures.compactMap { headers[$0] },
            frozenColumns: 2, rowCount: rows.count
        ) { index in
            let row = rows[index]
            return [.text(row.creditCode), .text(row.name), .text(row.region),
                    row.supervisor.map { .text($0.creditCode) } ?? .empty, row.supervisor.map { .text($0.name) } ?? .empty]
                + figures.map { figure in
                    switch figure {
                    case .required: SheetCell(row.required)
                    case .actual: SheetCell(row.actual)
                    case .shortfall: SheetCell(row.shortfall)
                    case .projection: row.projection.map(SheetCell.percent) ?? .empty
                    case .monthly: SheetCell(row.monthly)
                    }
                }
        }
    }

    /// The notice for a terminal: each sheet's table.
    public func text() -> String {
        "通报 \(year)  \(scope.code) \(scope.name)\n\n" + sheets.map { $0.text() }.joined(separator: "\n")
    }

    /// The notice as one CSV text: each sheet after a line naming it, a blank line between.
    public func csv() -> String {
        var lines: [String] = []
        for (index, sheet) in sheets.enumerated() {
            if index > 0 { lines.append("") }
            lines.append(CSVTable.spreadsheetField("【\(sheet.name)】"))
            sheet.csvLines { lines.append($0) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
