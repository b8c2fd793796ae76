import SetasideCore
import Testing

/// A sheet's XML read a chunk at a time (issue 13): inline and shared strings, numbers,
/// rows by the sheet's numbers, whatever the chunks' boundaries.
@Suite struct SheetRowsTests {
    static let xml = """
        <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3" /><sheetData>\
        <row r="1"><c r="A1" t="inlineStr"><is><t>832平台订单导出</t></is></c></row>\
        <row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3" t="inlineStr"><is><t>A &amp; B &#x4E2D;</t></is></c></row>\
        <row r="4"><c r="A4" t="inlineStr"><is><t>E1</t></is></c><c r="B4" s="1" t="n"><v>45352.425</v></c><c r="D4" t="b"><v>1</v></c></row>\
        </sheetData></worksheet>
        """

    @Test func rowsComeOutWhateverTheChunks() {
        for size in [1, 7, 64, 100_000] {
            var rows = SheetRows(sharedStrings: ["订单编号"])
            var out: [CSVRow] = []
            let bytes = Array(Self.xml.utf8)
            var start = 0
            while start < bytes.count {
                out += rows.feed(bytes[start..<min(start + size, bytes.count)])
                start += size
            }
            #expect(out.map(\.line) == [1, 3, 4], "chunks of \(size)")
            #expect(out.map(\.fields) == [["832平台订单导出"], ["订单编号", "", "A & B 中"], ["E1", "45352.425", "", "TRUE"]], "chunks of \(size)")
        }
    }

    @Test func sharedStringsJoinTheirRunsAndSkipPhoneticReadings() {
        let xml = """
            <sst xmlns="x"><si><t>订单编号</t></si><si><r><t>漾濞</t></r><r><t>县</t></r><rPh><t>ヨウヒ</t></rPh></si><si/></sst>
            """
        #expect(SheetRows.sharedStrings(Array(xml.utf8)) == ["订单编号", "漾濞县", ""])
    }
}
