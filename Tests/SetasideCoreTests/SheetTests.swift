import SetasideCore
import Testing

/// The sheets' cells and their CSV text, without a database.
@Suite struct SheetTests {
    @Test func aShareKeepsItsDisplayedDigitsAsAnExactFraction() {
        #expect(SheetCell.percent("14.36").percentTenThousandths == 1436)
        #expect(SheetCell.percent("0.5").percentTenThousandths == 50)
        #expect(SheetCell.percent("120").percentTenThousandths == 12_000)
        #expect(SheetCell.percent("-0.13").percentTenThousandths == -13)
        #expect(SheetCell.percent("abc").percentTenThousandths == nil)
        #expect(SheetCell.money(.yuan(3)).percentTenThousandths == nil)
        #expect(SheetCell(basisPoints: 1000) == .percent("10.00"))
        #expect(SheetCell(basisPoints: 1505) == .percent("15.05"))
        #expect(SheetCell(basisPoints: nil) == .empty)
    }

    @Test func csvTextWritesAmountsSharesAndCountsAsSpreadsheetsReadThem() {
        #expect(SheetCell.money(Money(fen: 1_234_56)).csvText == "1234.56")
        #expect(SheetCell.percent("14.36").csvText == "14.36%")
        #expect(SheetCell(RuleQuantity.count(2)).csvText == "2")
        #expect(SheetCell(nil as RuleQuantity?).csvText == "")
    }

    @Test func aSheetsCSVHasItsPreambleOneHeaderLineAndNeutralizedTexts() {
        let rows: [[SheetCell]] = [[.text("=HYPERLINK(\"x\")"), .money(.yuan(5))], [.text("乙"), .empty]]
        let sheet = Sheet(name: "单位", preamble: [SheetLine("年度", .integer(2024))],
                          columns: [SheetColumn("名称"), SheetColumn("基数", group: "食堂（canteen-reserve-10）")],
                          rowCount: rows.count) { rows[$0] }
        var lines: [String] = [], done: [Int] = []
        sheet.csvLines({ lines.append($0) }, progress: { done.append($0) })
        #expect(lines == ["年度,2024", "", "名称,食堂（canteen-reserve-10）·基数", "\"'=HYPERLINK(\"\"x\"\")\",5.00", "乙,"])
        #expect(done == [1, 2])
        #expect(sheet.hasGroups)
    }
}
