import Testing
@testable import SetasideCore

@Suite struct JSONValueTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try JSONValue(parsing: Array(text.utf8)) }

    private func refusal(_ text: String) -> JSONSyntaxError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test func readsEveryKindOfValue() throws {
        let value = try parse("""
             {"s": "a\\"b\\\\c\\/d\\n\\t", "i": -42, "z": 0, "f": 12.5, "e": 1e3, "t": true, "n": null,
              "a": [1, [], {}, "x"], "o": {"k": false}} \n
            """)
        #expect(value == .object([
            "s": .string("a\"b\\c/d\n\t"), "i": .integer(-42), "z": .integer(0), "f": .number(12.5), "e": .number(1000),
            "t": .bool(true), "n": .null, "a": .array([.integer(1), .array([]), .object([:]), .string("x")]),
            "o": .object(["k": .bool(false)]),
        ]))
    }

    @Test func keepsUnicodeAndJoinsSurrogatePairs() throws {
        #expect(try parse(#""平鲁区 \u4e2d\u79cb \ud840\udc00""#) == .string("平鲁区 中秋 𠀀"))
        #expect(refusal(#""\ud840""#)?.reason == "a high surrogate without its low half")
        #expect(refusal(#""\udc00""#)?.reason == "a low surrogate without its high half")
        #expect(refusal(#""\u12G4""#) != nil)
    }

    @Test func refusesWhatIsNotStrictJSON() {
        for text in ["", "{", "{\"a\": 1,}", "[1,]", "{'a': 1}", "{\"a\" 1}", "{a: 1}", "01", "-", "1.", "1e", ".5",
                     "+1", "tru", "nul", "[1] [2]", "{\"a\": 1} x", "// c\n{}", "\"a\nb\"", "\"open", "NaN"] {
            #expect(refusal(text) != nil, "accepted \(text.debugDescription)")
        }
    }

    @Test func refusesAKeyTwice() {
        let error = refusal(#"{"amount": "1.00", "amount": "9.00"}"#)
        #expect(error?.reason == #"the key "amount" appears twice"#)
        #expect(error?.offset == 19)   // the second key's opening quote
    }

    @Test func refusesInvalidUTF8() {
        let bytes: [UInt8] = Array("{\"a\": \"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: bytes) }
        let escaped: [UInt8] = Array("\"\\n".utf8) + [0xFF] + Array("\"".utf8)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: escaped) }
    }

    @Test func limitsNesting() throws {
        let deep = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect(refusal(deep) == nil)
        let deeper = "[" + deep + "]"
        #expect(refusal(deeper)?.reason == "nested deeper than \(JSONValue.maximumDepth) levels")
    }

    @Test func tellsWholeNumbersFromFractions() throws {
        #expect(try parse("1234") == .integer(1234))
        #expect(try parse("1234.50") == .number(1234.5))
        #expect(try parse("-0") == .integer(0))
        // Too large for Int: still a number, not an error.
        #expect(try parse("92233720368547758070") == .number(9.223372036854775807e19))
    }
}
