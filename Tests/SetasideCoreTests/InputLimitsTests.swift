import Testing
@testable import SetasideCore

/// Limits on what a file or a request may hold (issue 10): long fields refused before
/// they are parsed and quoted short, names of at most 200 characters, order numbers
/// without invisible characters and in NFC, and cells a spreadsheet would run neutralized.
@Suite struct InputLimitsTests {
    let header = "credit_code,order_no,order_date,channel,category,origin_code,amount,status,festival,reversal_of\n"
    let unitsHeader = "credit_code,name,region_code,level,has_canteen,five_entries,assisting\n"

    func problems(_ parse: () throws -> Void) -> [InputProblem] {
        do { try parse() } catch let error as ImportError { if case .rejected(let problems) = error { return problems } } catch {}
        return []
    }

    @Test func aFieldOfMegabytesIsRefusedNamingItsLineAndColumnWithoutRepeatingIt() {
        let huge = String(repeating: "9", count: 5_000_000)
        let file = header + "91110000101623741K,A1,2024-03-01,platform832,canteenFood,140603,\(huge),completed,,\n"
            + "91110000101623741K,\(huge),2024-03-01,platform832,canteenFood,140603,10.00,completed,,\n"
        let found = problems { _ = try ImportParser.purchases(Array(file.utf8)) }
        #expect(found.map { "\($0.line) \($0.field)" } == ["2 amount", "3 order_no"])
        #expect(found.allSatisfy { $0.reason.count < 100 }, "\(found.map(\.reason))")
        #expect(found.first?.reason == "is 5000000 bytes long; no field is longer than 1024 bytes")
        // Under the limit, a bad value is quoted by its first 40 characters and its length.
        let long = String(repeating: "x", count: 500)
        let shown = problems {
            _ = try ImportParser.purchases(Array((header + "91110000101623741K,A1,2024-03-01,platform832,canteenFood,140603,\(long),completed,,\n").utf8))
        }
        #expect(shown.first?.reason.hasPrefix("\"\(String(repeating: "x", count: 40))…\" (500 characters)") == true, "\(shown)")
    }

    @Test func aNameHasAtMost200Characters() throws {
        let name200 = String(repeating: "名", count: 200), name201 = String(repeating: "名", count: 201)
        let ok = try ImportParser.units(Array((unitsHeader + "91110000101623741K,\(name200),140603,city,true,false,false\n").utf8))
        #expect(ok.records.first?.name == name200)
        let refused = problems {
            _ = try ImportParser.units(Array((unitsHeader + "91110000101623741K,\(name201),140603,city,true,false,false\n").utf8))
        }
        #expect(refused.map(\.field) == ["name"])
        #expect(refused.first?.reason == "has 201 characters; a name has at most 200")
    }

    @Test func orderNumbersRefuseInvisibleCharactersAndAreStoredInNFC() throws {
        for lookalike in ["IMP28\u{200B}", "IMP\u{202E}28", "\u{2066}IMP28", "IMP\u{FEFF}28", "IMP\u{2028}28"] {
            #expect(throws: FieldError.self, "\(lookalike.unicodeScalars.map(\.value))") { try FieldValue.orderNumber(lookalike) }
        }
        #expect(throws: FieldError(reason: "contains the invisible character U+200B (a zero-width or text-direction mark, often pasted along): retype the order number")) {
            try FieldValue.orderNumber("IMP28\u{200B}")
        }
        // é as e + a combining acute accent is stored as the one character é.
        let composed = try FieldValue.orderNumber("IMP-e\u{301}")
        #expect(Array(composed.utf8) == Array("IMP-\u{E9}".utf8))
        #expect(try FieldValue.orderNumber("订单-28") == "订单-28")
        // In a file, the reversal's original is checked the same way.
        let file = header + "91110000101623741K,A1,2024-03-01,platform832,canteenFood,140603,10.00,completed,,\n"
            + "91110000101623741K,A1-R,2024-03-02,platform832,canteenFood,140603,-10.00,completed,,A1\u{200B}\n"
            + "91110000101623741K,A2\u{202E},2024-03-02,platform832,canteenFood,140603,10.00,completed,,\n"
        let found = problems { _ = try ImportParser.purchases(Array(file.utf8)) }
        #expect(found.map { "\($0.line) \($0.field)" }.contains("3 reversal_of"), "\(found)")
        #expect(found.map { "\($0.line) \($0.field)" }.contains("4 order_no"), "\(found)")
    }

    @Test func spreadsheetCellsThatWouldRunAreNeutralizedAndNumbersAreNot() {
        #expect(CSVTable.spreadsheetField("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        for formula in ["+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "=1"] {
            #expect(CSVTable.neutralized(formula) == "'" + formula, "\(formula.debugDescription)")
        }
        for plain in ["-12.50", "+3", "12", "0.10", "平鲁区教育局", "a=b", ""] {
            #expect(CSVTable.neutralized(plain) == plain, "\(plain.debugDescription)")
        }
    }
}
