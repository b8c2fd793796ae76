import Testing
@testable import SetasideCore

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1234.5", Int64(123450)), ("1234.50", 123450), ("1234", 123400), ("-12.30", -1230),
        ("1,234.50", 123450), ("12,345,678.09", 1234567809), ("¥1234.50", 123450), ("￥1,234.50", 123450),
        ("  42.07 ", 4207), ("0", 0), ("0.00", 0), ("-0.05", -5), ("-¥12.30", -1230), ("¥-12.30", -1230),
        ("¥ 5", 500), ("\t7.1\u{3000}", 710), ("999,999", 99999900),
    ])
    func parsesAcceptedForms(text: String, fen: Int64) throws {
        #expect(try Money(parsingYuan: Substring(text)).fen == fen)
    }

    @Test(arguments: ["1e5", "abc", "--1", "1,23.00", "1234,567.00", ",123", "123,", ".5", "5.", "+5", "1 000",
                      "12.3.4", "¥", "-", "1,2345", "12,34", "5-", "¥¥5", "0x10", "1.2a"])
    func refusesMalformedText(text: String) {
        #expect(throws: AmountError.malformed(text)) { try Money(parsingYuan: Substring(text)) }
    }

    @Test func refusesEmptyAndTooManyDecimals() {
        #expect(throws: AmountError.empty) { try Money(parsingYuan: "") }
        #expect(throws: AmountError.empty) { try Money(parsingYuan: "   ") }
        #expect(throws: AmountError.tooManyDecimals("12.345")) { try Money(parsingYuan: "12.345") }
        #expect(throws: AmountError.tooManyDecimals("1.000")) { try Money(parsingYuan: "1.000") }
    }

    @Test func amountsBeyondTheLargestAcceptedAreRefused() throws {
        #expect(try Money(parsingYuan: "10,000,000,000.00") == Money.largestAccepted)
        #expect(try Money(parsingYuan: "-10000000000") == -Money.largestAccepted)
        #expect(throws: AmountError.outOfRange("10000000000.01")) { try Money(parsingYuan: "10000000000.01") }
        #expect(throws: AmountError.outOfRange("-10000000000.01")) { try Money(parsingYuan: "-10000000000.01") }
        // Int64.max fen (92233720368547758.07 yuan) and beyond: refused, never wrapped.
        #expect(throws: AmountError.outOfRange("92233720368547758.07")) { try Money(parsingYuan: "92233720368547758.07") }
        #expect(throws: AmountError.outOfRange("92233720368547758.08")) { try Money(parsingYuan: "92233720368547758.08") }
        #expect(throws: AmountError.outOfRange("99999999999999999999")) { try Money(parsingYuan: "99999999999999999999") }
        #expect(throws: AmountError.outOfRange("-999999999999999999999.00")) {
            try Money(parsingYuan: "-999999999999999999999.00")
        }
    }

    @Test func pagesGroupThousandsAndBarsTakeTheirShare() {
        #expect(Money(fen: 123_456_750).groupedYuanString == "1,234,567.50")
        #expect(Money(fen: -100_005).groupedYuanString == "-1,000.05")
        #expect(Money(fen: 99_900).groupedYuanString == "999.00")
        #expect(Money(fen: 0).groupedYuanString == "0.00")
        #expect(Money(fen: 2_500).parts(of: Money(fen: 10_000)) == 25)
        #expect(Money(fen: 9_999).parts(of: Money(fen: 10_000)) == 99)
        #expect(Money(fen: 20_000).parts(of: Money(fen: 10_000)) == 100)
        #expect(Money(fen: -5).parts(of: Money(fen: 10_000)) == 0)
        #expect(Money(fen: 5).parts(of: .zero) == 0)
    }

    @Test func printsTwoDecimalsWithoutSeparators() {
        #expect(Money(fen: 123450).yuanString == "1234.50")
        #expect(Money(fen: -5).yuanString == "-0.05")
        #expect(Money(fen: 0).yuanString == "0.00")
        #expect(Money(fen: 7).description == "0.07")
        #expect(Money(fen: -123456789).yuanString == "-1234567.89")
        #expect(Money(fen: Int64.min).yuanString == "-92233720368547758.08")
        #expect(Money.yuan(20000).fen == 2_000_000)
    }

    @Test func roundTripsThroughText() throws {
        for fen: Int64 in [0, 1, -1, 99, 100, 101, -100_001, 123_456_789_012, Money.largestAccepted.fen, -Money.largestAccepted.fen] {
            let m = Money(fen: fen)
            #expect(try Money(parsingYuan: Substring(m.yuanString)) == m)
        }
    }

    @Test func arithmeticAndOrder() {
        let a = Money(fen: 150), b = Money(fen: 275)
        #expect(a + b == Money(fen: 425))
        #expect(a - b == Money(fen: -125))
        #expect(-a == Money(fen: -150))
        #expect(a < b && !(b < a))
        #expect(Money.zero == Money(fen: 0))
        #expect([b, a].sorted() == [a, b])
    }

    @Test func errorMessagesNameTheText() {
        #expect(AmountError.malformed("abc").description.contains("\"abc\""))
        #expect(AmountError.tooManyDecimals("1.234").description.contains("two decimals"))
    }
}

@Suite struct PercentageTests {
    private func pct(_ actual: Int64, _ base: Int64) -> String? {
        Percentage.display(actual: Money(fen: actual), base: Money(fen: base))
    }

    @Test func roundsHalfUpToTwoDecimals() {
        #expect(pct(12_500, 120_000) == "10.42")
        #expect(pct(1, 3) == "33.33")
        #expect(pct(2, 3) == "66.67")
        #expect(pct(1, 800) == "0.13")      // 0.125 % → 0.13
        #expect(pct(1, 1_600) == "0.06")    // 0.0625 % → 0.06
        #expect(pct(3, 1_600) == "0.19")    // 0.1875 % → 0.19
        #expect(pct(1_000, 10_000) == "10.00")
        #expect(pct(0, 10_000) == "0.00")
        #expect(pct(10_000, 10_000) == "100.00")
        #expect(pct(25_000, 10_000) == "250.00")
        #expect(pct(99_999, 100_000) == "100.00")  // 99.999 % rounds up to 100.00
        #expect(pct(9_999, 100_000) == "10.00")    // 9.999 % displays as 10.00 (only for display)
        #expect(pct(1, 1) == "100.00")
    }

    @Test func negativeActualKeepsItsSign() {
        #expect(pct(-500, 10_000) == "-5.00")
        #expect(pct(-1, 800) == "-0.13")
        #expect(pct(-1, 1_000_000) == "0.00")  // rounds to zero: no "-0.00"
        #expect(pct(-12_500, 120_000) == "-10.42")
    }

    @Test func noRatioWithoutPositiveBase() {
        #expect(pct(100, 0) == nil)
        #expect(pct(100, -5) == nil)
    }

    @Test func hugeValuesDoNotOverflow() {
        #expect(pct(Int64.max, 1) == "922337203685477580700.00")
        #expect(pct(Int64.max, Int64.max) == "100.00")
        #expect(pct(Int64.min + 1, Int64.max) == "-100.00")
        #expect(pct(Int64.max / 2, Int64.max) == "50.00")
    }
}
