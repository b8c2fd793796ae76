import Testing
@testable import SetasideCore

@Suite struct CreditCodeTests {
    @Test(arguments: ["91110000101623741K", "911101066976941872"])
    func knownValidCodes(text: String) throws {
        let code = try CreditCode(parsing: text)
        #expect(code.text == text)
        #expect(code.hasValidCheckCharacter)
        #expect(code.checkWarning == nil)
        #expect(CreditCode.checkCharacter(forFirst17: text.prefix(17)) == text.last)
    }

    @Test func checkCharacterComputation() {
        #expect(CreditCode.checkCharacter(forFirst17: "91110000101623741") == "K")
        #expect(CreditCode.checkCharacter(forFirst17: "91110106697694187") == "2")
        #expect(CreditCode.checkCharacter(forFirst17: "91110106697694187".lowercased()) == "2")
        // Σ = 0 → 31 − 0 = 31, written 0.
        #expect(CreditCode.checkCharacter(forFirst17: "00000000000000000") == "0")
        // Σ = 1 → 30 → Y (the last character of the alphabet).
        #expect(CreditCode.checkCharacter(forFirst17: "10000000000000000") == "Y")
        #expect(CreditCode.checkCharacter(forFirst17: "9111000010162374") == nil)     // 16 characters
        #expect(CreditCode.checkCharacter(forFirst17: "9111000010162374I") == nil)    // I not allowed
    }

    @Test func trimsAndUpperCases() throws {
        let code = try CreditCode(parsing: "  91110000101623741k\t")
        #expect(code.text == "91110000101623741K")
        #expect(code.hasValidCheckCharacter)
        #expect(code.registrationDivision == "110000")
        #expect(try CreditCode(parsing: "911101066976941872").registrationDivision == "110106")
    }

    @Test func wrongCheckCharacterIsAWarningNotARefusal() throws {
        let code = try CreditCode(parsing: "911100001016237410")
        #expect(code.text == "911100001016237410")
        #expect(!code.hasValidCheckCharacter)
        #expect(code.checkWarning == "check character is 0, expected K (GB 32100-2015)")
        let other = try CreditCode(parsing: "91110000101623741A")
        #expect(other.checkWarning == "check character is A, expected K (GB 32100-2015)")
    }

    @Test func wrongLengthIsRefused() {
        #expect(throws: CodeError.wrongLength("91110000101623741", expected: "18 characters (unified social credit code)")) {
            try CreditCode(parsing: "91110000101623741")
        }
        #expect(throws: CodeError.self) { try CreditCode(parsing: "91110000101623741K0") }
        #expect(throws: CodeError.self) { try CreditCode(parsing: "") }
        let error = CodeError.wrongLength("9111", expected: "18 characters (unified social credit code)")
        #expect(error.description.contains("4 characters"))
    }

    @Test(arguments: ["I", "O", "S", "V", "Z", "i", "o", "s", "v", "z", "-", "壹", " "])
    func lettersOutsideTheAlphabetAreRefused(letter: String) {
        let text = "9111" + letter + "000101623741K0"   // 18 characters, bad character at position 5
        let char = Character(letter)
        #expect(throws: CodeError.invalidCharacter(text, char, position: 5)) { try CreditCode(parsing: text) }
    }

    @Test func orderAndEquality() throws {
        let a = try CreditCode(parsing: "91110000101623741K")
        let b = try CreditCode(parsing: "911101066976941872")
        #expect(a < b)
        #expect(a == (try CreditCode(parsing: "91110000101623741k")))
        #expect(a.description == "91110000101623741K")
    }
}
