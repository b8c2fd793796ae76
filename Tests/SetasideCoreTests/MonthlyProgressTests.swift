import SetasideCore
import Testing

/// Spend by month against the pace needed (the pages' monthly chart).
@Suite struct MonthlyProgressTests {
    @Test func monthsAreTheDifferencesAndThePaceIsSpreadEvenlyRoundedUp() {
        let progress = MonthlyProgress(rule: "canteen-reserve-10", name: "食堂", cumulative: [Money(fen: 100), Money(fen: 250),
                                                                                          Money(fen: 240)],
                                       required: Money(fen: 1_000))
        #expect(progress.monthly == [Money(fen: 100), Money(fen: 150), Money(fen: -10)])
        #expect(progress.pace(month: 1) == Money(fen: 84))      // 1000 / 12 = 83.33…, rounded up
        #expect(progress.pace(month: 6) == Money(fen: 500))
        #expect(progress.pace(month: 12) == Money(fen: 1_000))
    }
}
