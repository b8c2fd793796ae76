import Testing
@testable import SetasideCore

@Suite struct CalendarDateTests {
    @Test func validatesDays() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
        #expect(CalendarDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2024, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2024, month: 12, day: 31) != nil)
        #expect(CalendarDate(year: 2024, month: 13, day: 1) == nil)
        #expect(CalendarDate(year: 2024, month: 0, day: 1) == nil)
        #expect(CalendarDate(year: 2024, month: 1, day: 0) == nil)
        #expect(CalendarDate(year: 1899, month: 12, day: 31) == nil)
        #expect(CalendarDate(year: 1900, month: 1, day: 1) != nil)
        #expect(CalendarDate(year: 2999, month: 12, day: 31) != nil)
        #expect(CalendarDate(year: 3000, month: 1, day: 1) == nil)
    }

    @Test func parsesISO() throws {
        let d = try CalendarDate(parsingISO: "2024-03-05")
        #expect(d.year == 2024 && d.month == 3 && d.day == 5)
        #expect(d.iso == "2024-03-05")
        #expect(d.description == "2024-03-05")
        #expect(try CalendarDate(parsingISO: " 2022-12-31 ").iso == "2022-12-31")
    }

    @Test(arguments: ["2024-3-05", "2024/03/05", "20240305", "2024-03-05T00:00", "24-03-05", "2024-03-5",
                      "２０２４-03-05", "abcd-ef-gh", "2024-03-05x", "-024-03-05"])
    func refusesOtherForms(text: String) {
        #expect(throws: DateError.malformed(text)) { try CalendarDate(parsingISO: text) }
    }

    @Test func refusesImpossibleDates() {
        #expect(throws: DateError.empty) { try CalendarDate(parsingISO: "") }
        #expect(throws: DateError.noSuchDate("2023-02-29")) { try CalendarDate(parsingISO: "2023-02-29") }
        #expect(throws: DateError.noSuchDate("2024-13-01")) { try CalendarDate(parsingISO: "2024-13-01") }
        #expect(throws: DateError.noSuchDate("2024-00-10")) { try CalendarDate(parsingISO: "2024-00-10") }
        #expect(throws: DateError.yearOutOfRange("1800-01-01")) { try CalendarDate(parsingISO: "1800-01-01") }
    }

    @Test func orderAndDayOfYear() throws {
        let a = try CalendarDate(parsingISO: "2023-12-31")
        let b = try CalendarDate(parsingISO: "2024-01-01")
        let c = try CalendarDate(parsingISO: "2024-02-01")
        #expect(a < b && b < c && !(c < a))
        #expect(b.dayOfYear == 1)
        #expect(c.dayOfYear == 32)
        #expect(a.dayOfYear == 365)
        #expect(try CalendarDate(parsingISO: "2024-12-31").dayOfYear == 366)
        #expect(try CalendarDate(parsingISO: "2024-03-01").dayOfYear == 61)
        #expect(CalendarDate.daysInYear(2024) == 366 && CalendarDate.daysInYear(2023) == 365)
    }

    @Test func theDayInChinaOfAUnixTime() {
        #expect(CalendarDate.inChina(unixSeconds: 0)?.description == "1970-01-01")
        // 2023-11-14 22:13:20 UTC is already the 15th in China.
        #expect(CalendarDate.inChina(unixSeconds: 1_700_000_000)?.description == "2023-11-15")
        #expect(CalendarDate(unixSeconds: 1_700_000_000, utcOffsetSeconds: 0)?.description == "2023-11-14")
        #expect(CalendarDate(unixSeconds: 951_782_400, utcOffsetSeconds: 0)?.description == "2000-02-29")
        #expect(CalendarDate.inChina(unixSeconds: 1_735_660_799)?.description == "2024-12-31")
        #expect(CalendarDate.inChina(unixSeconds: 1_735_660_800)?.description == "2025-01-01")
        // Before 1970, the division floors: one second before the epoch is still 1969 in UTC.
        #expect(CalendarDate(unixSeconds: -1, utcOffsetSeconds: 0)?.description == "1969-12-31")
    }
}
