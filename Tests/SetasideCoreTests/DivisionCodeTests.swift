import Testing
@testable import SetasideCore

@Suite struct DivisionCodeTests {
    private func code(_ s: String) throws -> DivisionCode { try DivisionCode(parsing: s) }

    @Test func levelsFromDigits() throws {
        #expect(try code("100000").level == .country)
        #expect(try code("530000").level == .province)
        #expect(try code("530400").level == .city)
        #expect(try code("530402").level == .county)
        #expect(try code("140603").level == .county)
        #expect(try code("530402001").level == .township)
        #expect(try code("530402001203").level == .village)
        #expect(DivisionCode.country.text == "100000")
        #expect(DivisionCode.country.level == .country)
    }

    @Test func derivedParentsWalkUpToTheCountry() throws {
        let village = try code("530402001203")
        #expect(village.derivedParent?.text == "530402001")
        #expect(village.derivedParent?.derivedParent?.text == "530402")
        #expect(try code("530402").derivedParent?.text == "530400")
        #expect(try code("530400").derivedParent?.text == "530000")
        #expect(try code("530000").derivedParent == .country)
        #expect(DivisionCode.country.derivedParent == nil)
        #expect(village.derivedAncestors.map(\.text) == ["530402001", "530402", "530400", "530000", "100000"])
        #expect(DivisionCode.country.derivedAncestors.isEmpty)
    }

    @Test func countyPrefix() throws {
        #expect(try code("530402001203").countyPrefix?.text == "530402")
        #expect(try code("530402001").countyPrefix?.text == "530402")
        #expect(try code("530402").countyPrefix?.text == "530402")
        #expect(try code("530400").countyPrefix == nil)
        #expect(try code("530000").countyPrefix == nil)
        #expect(DivisionCode.country.countyPrefix == nil)
    }

    @Test func ancestry() throws {
        let village = try code("140603101201")
        #expect(village.isSameOrDescendant(of: try code("140603")))
        #expect(village.isSameOrDescendant(of: try code("140600")))
        #expect(village.isSameOrDescendant(of: .country))
        #expect(village.isSameOrDescendant(of: village))
        #expect(!village.isSameOrDescendant(of: try code("530400")))
        #expect(!village.isSameOrDescendant(of: try code("140603102")))
        #expect(!(try code("140603")).isSameOrDescendant(of: village))
        #expect(!DivisionCode.country.isSameOrDescendant(of: try code("140000")))
    }

    @Test func keepsLeadingZerosAsText() throws {
        // Text, never numbers: a leading zero in the county part survives.
        let c = try code(" 110101 ")
        #expect(c.text == "110101")
        #expect(try code("110101001001").text == "110101001001")
    }

    @Test func normalisesZeroPaddedStatisticsCodes() throws {
        #expect(try code("110101000000").text == "110101")
        #expect(try code("110101001000").text == "110101001")
        #expect(try code("110101000").text == "110101")
        #expect(try code("110000000000").level == .province)
    }

    @Test func refusals() {
        let expected = "6, 9 or 12 digits (administrative division code)"
        #expect(throws: CodeError.wrongLength("11010", expected: expected)) { try DivisionCode(parsing: "11010") }
        #expect(throws: CodeError.wrongLength("1101010", expected: expected)) { try DivisionCode(parsing: "1101010") }
        #expect(throws: CodeError.wrongLength("1101010010010", expected: expected)) { try DivisionCode(parsing: "1101010010010") }
        #expect(throws: CodeError.invalidCharacter("11010A", "A", position: 6)) { try DivisionCode(parsing: "11010A") }
        #expect(throws: CodeError.invalidCharacter("110 101", " ", position: 4)) { try DivisionCode(parsing: "110 101") }
        #expect(throws: CodeError.notADivision("000000")) { try DivisionCode(parsing: "000000") }
        #expect(throws: CodeError.notADivision("000000000000")) { try DivisionCode(parsing: "000000000000") }
        #expect(throws: CodeError.notADivision("001200")) { try DivisionCode(parsing: "001200") }
        #expect(throws: CodeError.empty(expected: expected)) { try DivisionCode(parsing: "") }
    }

    @Test func levelOrder() {
        #expect(DivisionLevel.country < .province)
        #expect(DivisionLevel.township < .village)
        #expect(DivisionLevel.allCases.sorted() == DivisionLevel.allCases)
        #expect(!(DivisionLevel.county < .city))
    }
}
