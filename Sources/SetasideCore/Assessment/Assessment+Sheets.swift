extension Assessment {
    /// The assessment laid out as the workbook's sheets, in order: 封面 (cover), 单位
    /// (units), 地区汇总 (regions), 主管单位汇总 (supervising units) and 包销 (packing).
    /// The same figures as `json()`; a CSV export writes each sheet as one file.
    public var sheets: [Sheet] {
        let rules = ruleColumns
        return [coverSheet, unitSheet(rules), rollupSheet(name: "地区汇总", regions, rules, isRegion: true),
                rollupSheet(name: "主管单位汇总", ComplianceRollup.bySupervisingUnit(report), rules, isRegion: false),
                packingSheet]
    }

    /// The rules of the report, one per id in the order they first appear, with the
    /// name shown over their columns (an encouraged rule says so).
    var ruleColumns: [(id: String, title: String)] {
        var seen = Set<String>(), out: [(id: String, title: String)] = []
        for unit in report.units {
            for rule in unit.rules where seen.insert(rule.rule).inserted {
                let strength = rule.strength == .encouraged ? "，鼓励性" : ""
                out.append((rule.rule, "\(rule.name)（\(rule.rule)\(strength)）"))
            }
        }
        return out
    }

    var coverSheet: Sheet {
        var lines = [
            SheetLine("年度", .integer(report.year)),
            SheetLine("考核范围代码", .text(scope.code)),
            SheetLine("考核范围", .text(scope.name)),
            SheetLine("截至日期", asOf.map { .text($0.iso) } ?? .text("全年")),
            SheetLine("生成时间", .text(madeAt)),
            SheetLine("审计链末端哈希", auditHead.map(SheetCell.text) ?? .empty),
            SheetLine("单位数", .integer(report.units.count)),
        ]
        lines.append(SheetLine("数据", .text(figures.chineseText)))
        if let snapshot = figures.snapshot {
            lines += [SheetLine("快照编号", .integer(Int(snapshot.id))), SheetLine("冻结时间", .text(snapshot.frozenAt)),
                      SheetLine("冻结人", .text(snapshot.frozenBy))]
        }
        let rows = packs.flatMap { pack in pack.rules.map { (pack, $0) } }
        let year = report.year
        return Sheet(
            name: "封面", preamble: lines,
            columns: [SheetColumn("政策包", width: 22), SheetColumn("政策文件", width: 40), SheetColumn("适用地区", width: 10),
                      SheetColumn("适用年度", width: 12), SheetColumn("规则", width: 24), SheetColumn("规则名称", width: 24),
                      SheetColumn("类型", width: 14), SheetColumn("强度", width: 8), SheetColumn("要求比例", width: 10),
                      SheetColumn("鼓励比例", width: 10), SheetColumn("最低金额（元）", width: 14), SheetColumn("应达次数", width: 10)],
            rowCount: rows.count,
            row: { index in
                let (pack, rule) = rows[index]
                return [.text(pack.id), .text(pack.title), .text(pack.jurisdiction.text), .text(pack.yearTo.map { "\(pack.yearFrom)–\($0)" } ?? "\(pack.yearFrom)年起"),
                        .text(rule.id), .text(rule.name), .text(ChineseWords.kind(rule.kind)),
                        .text(ChineseWords.strength(rule.strength)), SheetCell(basisPoints: rule.thresholdBasisPoints),
                        SheetCell(basisPoints: rule.encouragedBasisPoints(in: year)), SheetCell(rule.minimum),
                        rule.requiredCount.map(SheetCell.integer) ?? .empty]
            })
    }

    func unitSheet(_ rules: [(id: String, title: String)]) -> Sheet {
        var columns = [SheetColumn("统一社会信用代码", width: 20), SheetColumn("单位名称", width: 30), SheetColumn("地区代码", width: 14),
                       SheetColumn("地区名称", width: 12), SheetColumn("层级", width: 8), SheetColumn("主管单位代码", width: 20),
                       SheetColumn("主管单位", width: 24), SheetColumn("申报状态", width: 12)]
        for rule in rules {
            columns += ["基数", "应达", "实际", "比例", "差额"].map { SheetColumn($0, group: rule.title, width: 14) }
            columns.append(SheetColumn("状态", group: rule.title, width: 8))
        }
        columns += [SheetColumn("总体结果", width: 10), SheetColumn("驳回采购笔数", width: 12)]
        let units = report.units, rejected = rejectedPurchases
        return Sheet(name: "单位", columns: columns, frozenColumns: 2, rowCount: units.count) { index in
            let unit = units[index]
            var cells: [SheetCell] = [
                .text(unit.creditCode), .text(unit.name), .text(unit.region), .text(unit.regions.first?.name ?? ""),
                .text(ChineseWords.level(unit.level)), unit.parent.map(SheetCell.text) ?? .empty,
                unit.supervisors.first.map { .text($0.name) } ?? .empty, .text(ChineseWords.declaration(unit.declaration)),
            ]
            for rule in rules {
                guard let result = unit.rules.first(where: { $0.rule == rule.id }) else {
                    cells += Array(repeating: .empty, count: 6)
                    continue
                }
                cells += [SheetCell(result.base), SheetCell(result.required), SheetCell(result.actual),
                          result.ratio.map(SheetCell.percent) ?? .empty, SheetCell(result.shortfall),
                          .text(ChineseWords.status(result.status))]
            }
            cells += [.text(ChineseWords.status(unit.overall)), .integer(rejected[unit.creditCode] ?? 0)]
            return cells
        }
    }

    func rollupSheet(name: String, _ rollups: [ComplianceRollup], _ rules: [(id: String, title: String)],
                     isRegion: Bool) -> Sheet {
        var columns = isRegion
            ? [SheetColumn("地区代码", width: 14), SheetColumn("地区名称", width: 14), SheetColumn("层级", width: 8)]
            : [SheetColumn("主管单位代码", width: 20), SheetColumn("主管单位", width: 28)]
        columns += [SheetColumn("单位数", width: 8), SheetColumn("已申报", width: 8), SheetColumn("未达标单位", width: 10)]
        for rule in rules {
            columns += ["适用单位", "达标单位"].map { SheetColumn($0, group: rule.title, width: 10) }
            columns += ["基数合计", "实际合计"].map { SheetColumn($0, group: rule.title, width: 16) }
            columns.append(SheetColumn("比例", group: rule.title, width: 10))
        }
        return Sheet(name: name, columns: columns, rowCount: rollups.count) { index in
            let rollup = rollups[index]
            var cells: [SheetCell] = [.text(rollup.key), .text(rollup.name)]
            if isRegion { cells.append(.text(ChineseWords.regionLevel(rollup.level))) }
            cells += [.integer(rollup.units), .integer(rollup.declared), .integer(rollup.short)]
            for rule in rules {
                guard let totals = rollup.rules.first(where: { $0.rule == rule.id }) else {
                    cells += [.integer(0), .integer(0), .empty, .empty, .empty]
                    continue
                }
                cells += [.integer(totals.applicable), .integer(totals.met), SheetCell(totals.base), SheetCell(totals.actual),
                          totals.ratio.map(SheetCell.percent) ?? .empty]
            }
            return cells
        }
    }

    var packingSheet: Sheet {
        let names = Dictionary(report.units.map { ($0.creditCode, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = packing
        return Sheet(
            name: "包销",
            columns: [SheetColumn("统一社会信用代码", width: 20), SheetColumn("单位名称", width: 30), SheetColumn("层级", width: 8),
                      SheetColumn("帮扶村代码", width: 16), SheetColumn("包销金额（元）", width: 16),
                      SheetColumn("单位包销合计（元）", width: 18), SheetColumn("单位应达（元）", width: 16),
                      SheetColumn("单位结果", width: 10)],
            rowCount: rows.count
        ) { index in
            let row = rows[index]
            let unit = names[row.creditCode]
            let rule = unit?.rules.first { $0.kind == .packing && $0.status != .notApplicable }
            return [.text(row.creditCode), .text(unit?.name ?? ""), .text(ChineseWords.level(unit?.level)),
                    .text(row.village), .money(row.amount), SheetCell(rule?.actual), SheetCell(rule?.required),
                    .text(ChineseWords.status(row.status))]
        }
    }
}
