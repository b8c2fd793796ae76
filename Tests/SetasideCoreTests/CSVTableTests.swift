import Testing
@testable import SetasideCore

@Suite struct CSVTableTests {
    private func table(_ text: String) throws -> CSVTable { try CSVTable(bytes: Array(text.utf8)) }

    @Test func aWrittenFieldReadsBackAsItWas() throws {
        let values = ["plain", "a,b", "say \"hi\"", "two\r\nlines", "one\nline", "玉溪市,红塔区"]
        let text = "v\n" + values.map { CSVTable.field($0) + "\n" }.joined()
        let read = try table(text).rows.map { $0.fields[0] }
        #expect(read == values, "\(read.map(\.debugDescription))")
        #expect(CSVTable.field("plain") == "plain")
    }

    @Test func parsesPlainUTF8() throws {
        let t = try table("name, amount \nA,1.00\nB,2.50\n")
        #expect(t.encoding == .utf8)
        #expect(t.header == ["name", "amount"])
        #expect(t.rows.map(\.fields) == [["A", "1.00"], ["B", "2.50"]])
        #expect(t.rows.map(\.line) == [2, 3])
    }

    @Test func keepsFieldValuesUntrimmedAndNonASCII() throws {
        let t = try table("单位,地区\n 玉溪市教育局 ,𠀀\n")
        #expect(t.header == ["单位", "地区"])
        #expect(t.rows[0].fields == [" 玉溪市教育局 ", "𠀀"])
    }

    @Test func stripsUTF8ByteOrderMark() throws {
        let t = try CSVTable(bytes: [0xEF, 0xBB, 0xBF] + Array("code,name\r\n1,x\r\n".utf8))
        #expect(t.encoding == .utf8)
        #expect(t.header == ["code", "name"])
        #expect(t.rows.first?.fields == ["1", "x"])
    }

    @Test func decodesGB18030() throws {
        // "city,n\r\n北京,1\r\n" with 北京 in GB18030 (B1 B1 BE A9), then a row with four-byte
        // sequences: 81 30 81 30 is U+0080, 95 32 82 36 is U+20000.
        let bytes: [UInt8] = Array("city,n\r\n".utf8) + [0xB1, 0xB1, 0xBE, 0xA9] + Array(",1\r\n".utf8)
            + [0x95, 0x32, 0x82, 0x36, 0x81, 0x30, 0x81, 0x30] + Array(",2\r\n".utf8)
        let t = try CSVTable(bytes: bytes)
        #expect(t.encoding == .gb18030)
        #expect(t.header == ["city", "n"])
        #expect(t.rows[0].fields == ["北京", "1"])
        #expect(t.rows[1].fields == ["\u{20000}\u{80}", "2"])
        #expect(t.rows.map(\.line) == [2, 3])
    }

    @Test func decodesGB18030HeaderWithByteOrderMark() throws {
        // GB18030 byte-order mark 84 31 95 33, header 北京, a quoted field.
        let bytes: [UInt8] = [0x84, 0x31, 0x95, 0x33, 0xB1, 0xB1, 0xBE, 0xA9] + Array(",x\n\"a,b\",".utf8)
            + [0xB1, 0xB1] + Array("\n".utf8)
        let t = try CSVTable(bytes: bytes)
        #expect(t.encoding == .gb18030)
        #expect(t.header == ["北京", "x"])
        #expect(t.rows[0].fields == ["a,b", "北"])
    }

    @Test func aFileMarkedUTF8WithBytesThatAreNotIsRefusedNamingTheLine() {
        // A UTF-8 byte-order mark, two good lines, then a stray Latin-1 byte (é as E9) on line 3.
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("name,n\n北京,1\ncaf".utf8) + [0xE9] + Array(",2\n".utf8)
        #expect(throws: CSVError.invalidUTF8(line: 3, byte: 4)) { try CSVTable(bytes: bytes) }
        // Without the mark the rest of the file (北京) still says UTF-8: the same refusal.
        #expect(throws: CSVError.invalidUTF8(line: 3, byte: 4)) { try CSVTable(bytes: Array(bytes.dropFirst(3))) }
    }

    /// The case found by a probe: `IMP02B-订单号` with the last byte of 号 lost decodes as
    /// GB18030 to `IMP02B-璁㈠崟鍙`, and was stored so.
    static let brokenOrder: [UInt8] = Array("credit_code,order_no\n121406023172812345,IMP02B-".utf8)
        + Array("订单号".utf8).dropLast() + Array("\n".utf8)

    @Test func aUTF8FileWithOneBrokenCharacterIsRefusedNotReadAsGB18030() {
        #expect(throws: CSVError.invalidUTF8(line: 2, byte: 33)) { try CSVTable(bytes: Self.brokenOrder) }
        // And when the file has other Chinese text that is good UTF-8, all the more.
        let more = Array("name\n平鲁区教育局\n".utf8) + Self.brokenOrder.dropFirst(21)
        #expect(throws: CSVError.invalidUTF8(line: 3, byte: 33)) { try CSVTable(bytes: more) }
        // The message names the line and the byte and says what to do.
        #expect(CSVError.invalidUTF8(line: 2, byte: 33).description.hasPrefix("line 2, byte 33: not UTF-8"))
    }

    @Test func aGBKFileIsReadAsGB18030AndAnEncodingCanBeForced() throws {
        // 平鲁区教育局,食堂 in GBK (as Excel on Chinese Windows saves it).
        let gbk: [UInt8] = Array("name,kind\n".utf8) + [0xC6, 0xBD, 0xC2, 0xB3, 0xC7, 0xF8, 0xBD, 0xCC, 0xD3, 0xFD, 0xBE, 0xD6]
            + Array(",".utf8) + [0xCA, 0xB3, 0xCC, 0xC3] + Array("\n".utf8)
        let found = try CSVTable(bytes: gbk)
        #expect(found.encoding == .gb18030)
        #expect(found.rows[0].fields == ["平鲁区教育局", "食堂"])
        #expect(try CSVTable(bytes: gbk, encoding: .gb18030).rows[0].fields == ["平鲁区教育局", "食堂"])
        // Forced UTF-8, the same bytes are refused at their first byte that is not UTF-8
        // (C6 BD and C2 B3 happen to be UTF-8; C7 F8 is not).
        #expect(throws: CSVError.invalidUTF8(line: 2, byte: 5)) { try CSVTable(bytes: gbk, encoding: .utf8) }
        // Forced GB18030 takes the broken UTF-8 file as GB18030: the caller asked for it.
        #expect(try CSVTable(bytes: Self.brokenOrder, encoding: .gb18030).rows[0].fields[1] == "IMP02B-璁㈠崟鍙")
        // Bytes that are not GB18030 when it is asked for are named by line and byte.
        #expect(throws: CSVError.invalidGB18030(line: 2, byte: 3)) {
            try CSVTable(bytes: Array("a\nxy".utf8) + [0xFF, 0x30], encoding: .gb18030)
        }
        // Valid UTF-8 forced as UTF-8 is read as before.
        #expect(try CSVTable(bytes: Array("a\n北京\n".utf8), encoding: .utf8).rows[0].fields == ["北京"])
    }

    @Test func encodingNamesAsPeopleWriteThem() {
        #expect(TextEncoding(name: "UTF-8") == .utf8)
        #expect(TextEncoding(name: "utf8") == .utf8)
        #expect(TextEncoding(name: "GBK") == .gb18030)
        #expect(TextEncoding(name: "gb18030") == .gb18030)
        #expect(TextEncoding(name: "latin1") == nil)
        #expect(TextEncoding.gb18030.label == "gb18030")
    }

    @Test func refusesBytesThatAreNotText() {
        // UTF-16LE with its byte-order mark: neither UTF-8 nor GB18030.
        #expect(throws: CSVError.notText) { try CSVTable(bytes: [0xFF, 0xFE, 0x61, 0x00, 0x2C, 0x00]) }
        // A GB18030 lead byte cut off at the end of the file.
        #expect(throws: CSVError.notText) { try CSVTable(bytes: Array("a,b\n".utf8) + [0xB1]) }
        // A broken four-byte sequence.
        #expect(throws: CSVError.notText) { try CSVTable(bytes: Array("a\n".utf8) + [0x81, 0x30, 0x20, 0x30]) }
    }

    @Test func quotedFields() throws {
        let t = try table("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"\"\n\"multi\nline\",2,3\nlast,\"\"\"\",z\n")
        #expect(t.rows[0].fields == ["x, y", "say \"hi\"", ""])
        #expect(t.rows[1].fields == ["multi\nline", "2", "3"])
        #expect(t.rows[2].fields == ["last", "\"", "z"])
        // Physical lines: the quoted line break makes the third row start on line 5.
        #expect(t.rows.map(\.line) == [2, 3, 5])
    }

    @Test func crlfAndLoneCRLineEndings() throws {
        let crlf = try table("a,b\r\n1,2\r\n\"x\r\ny\",3\r\n4,5")
        #expect(crlf.rows.map(\.fields) == [["1", "2"], ["x\r\ny", "3"], ["4", "5"]])
        #expect(crlf.rows.map(\.line) == [2, 3, 5])
        let cr = try table("a,b\r1,2\r3,4\r")
        #expect(cr.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(cr.rows.map(\.line) == [2, 3])
        let crQuoted = try table("a,b\r\"x\ry\",1\r2,3\r")
        #expect(crQuoted.rows.map(\.fields) == [["x\ry", "1"], ["2", "3"]])
        #expect(crQuoted.rows.map(\.line) == [2, 4])
    }

    @Test func blankLinesAreSkippedButCountedInLineNumbers() throws {
        let t = try table("\na,b\n1,2\n\n,\n3,4\n\r\n\n\n")
        #expect(t.header == ["a", "b"])
        #expect(t.rows.map(\.fields) == [["1", "2"], ["3", "4"]])
        #expect(t.rows.map(\.line) == [3, 6])
    }

    @Test func emptyFieldsInsideARowAreKept() throws {
        let t = try table("a,b,c\n,2,\n1,,\n")
        #expect(t.rows.map(\.fields) == [["", "2", ""], ["1", "", ""]])
    }

    @Test func lastRowWithoutLineBreak() throws {
        let t = try table("a,b\n1,2")
        #expect(t.rows.map(\.fields) == [["1", "2"]])
        let trailingComma = try table("a,b\n1,")
        #expect(trailingComma.rows.map(\.fields) == [["1", ""]])
    }

    @Test func headerOnly() throws {
        let t = try table("a,b\n")
        #expect(t.header == ["a", "b"])
        #expect(t.rows.isEmpty)
    }

    @Test func wrongFieldCountNamesItsLine() {
        #expect(throws: CSVError.wrongFieldCount(line: 4, expected: 2, found: 3)) {
            try table("a,b\n1,2\n3,4\n5,6,7\n")
        }
        #expect(throws: CSVError.wrongFieldCount(line: 4, expected: 2, found: 1)) {
            try table("a,b\n\"1\n2\",x\nonly\n")
        }
        #expect(CSVError.wrongFieldCount(line: 4, expected: 2, found: 3).description.hasPrefix("line 4:"))
    }

    @Test func malformedQuotes() {
        #expect(throws: CSVError.unterminatedQuote(line: 3)) { try table("a,b\n1,2\n\"open,3\n4,5\n") }
        #expect(throws: CSVError.textAfterClosingQuote(line: 2)) { try table("a,b\n\"x\"y,2\n") }
    }

    @Test func emptyInputs() {
        #expect(throws: CSVError.empty) { try CSVTable(bytes: []) }
        #expect(throws: CSVError.empty) { try CSVTable(bytes: [0xEF, 0xBB, 0xBF]) }
        #expect(throws: CSVError.empty) { try table("\n\r\n\n") }
    }

    @Test func utf8Validation() {
        func valid(_ b: [UInt8]) -> Bool { b.withUnsafeBufferPointer { CSVParser.isValidUTF8($0, from: 0) } }
        #expect(valid(Array("plain ascii text longer than eight bytes".utf8)))
        #expect(valid(Array("北京 𠀀 é".utf8)))
        #expect(!valid([0xC0, 0x80]))               // overlong
        #expect(!valid([0xE0, 0x80, 0x80]))         // overlong
        #expect(!valid([0xED, 0xA0, 0x80]))         // surrogate
        #expect(!valid([0xF4, 0x90, 0x80, 0x80]))   // above U+10FFFF
        #expect(!valid(Array("abcdefgh".utf8) + [0xB1, 0xB1]))
        #expect(!valid([0xE5, 0x8C]))               // cut short
    }

    @Test func largeInputParsesEveryRow() throws {
        var text = "id,amount,note\n"
        for i in 0..<5_000 { text += "\(i),\(i).50,\"n, \(i)\"\n" }
        let t = try table(text)
        #expect(t.rows.count == 5_000)
        #expect(t.rows[4_999].fields == ["4999", "4999.50", "n, 4999"])
        #expect(t.rows[4_999].line == 5_001)
    }
}

@Suite struct CSVColumnsTests {
    private let row = CSVRow(line: 2, fields: ["91110000101623741K", "12.00", "note"])

    @Test func mapsNamesToFields() throws {
        let columns = try CSVColumns(header: ["code", "amount", "remark"], required: ["amount", "code"], optional: ["remark", "festival"])
        #expect(columns[row: row, column: "code"] == "91110000101623741K")
        #expect(columns[row: row, column: "amount"] == "12.00")
        #expect(columns[row: row, column: "remark"] == "note")
        #expect(columns[row: row, column: "festival"] == "")   // optional, absent
        #expect(columns.has("remark") && !columns.has("festival"))
    }

    @Test func headerErrors() {
        #expect(throws: CSVError.missingColumns(["amount", "date"])) {
            try CSVColumns(header: ["code"], required: ["code", "amount", "date"])
        }
        #expect(throws: CSVError.unknownColumns(["amout", "x"])) {
            try CSVColumns(header: ["code", "amout", "x"], required: ["code"], optional: ["amount"])
        }
        #expect(throws: CSVError.duplicateColumn("code")) {
            try CSVColumns(header: ["code", "amount", "code"], required: ["code", "amount"])
        }
        #expect(throws: CSVError.emptyColumnName(position: 3)) {
            try CSVColumns(header: ["code", "amount", ""], required: ["code", "amount"])
        }
        #expect(CSVError.missingColumns(["amount"]).description.contains("\"amount\""))
    }
}

@Suite struct FieldValueTests {
    @Test func booleans() throws {
        #expect(try FieldValue.bool("true"))
        #expect(try FieldValue.bool(" TRUE "))
        #expect(try !FieldValue.bool("false"))
        #expect(try !FieldValue.bool("False"))
        for bad in ["", "yes", "1", "0", "t", "truee", "是"] {
            #expect(throws: FieldError.self) { try FieldValue.bool(bad) }
        }
        #expect(throws: FieldError(reason: "column has_canteen: \"yes\" is not a yes/no value: write true or false")) {
            try FieldValue.bool("yes", column: "has_canteen")
        }
    }

    @Test func trimming() throws {
        #expect(FieldValue.trimmed("\u{3000} a b \t\u{FEFF}") == "a b")
        #expect(FieldValue.trimmed("   ") == "")
        #expect(FieldValue.optional("  ") == nil)
        #expect(FieldValue.optional(" x ") == "x")
        #expect(try FieldValue.nonEmpty(" x ") == "x")
        #expect(throws: FieldError.self) { try FieldValue.nonEmpty(" \t ") }
    }
}
