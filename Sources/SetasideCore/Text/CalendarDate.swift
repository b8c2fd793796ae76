/// A date on the Gregorian calendar with no time and no time zone (an order date, a
/// declaration date). Years 1900…2999.
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, 1900…2999.
    public let year: Int
    /// The month, 1…12.
    public let month: Int
    /// The day of the month, 1…28/29/30/31.
    public let day: Int

    /// The years accepted.
    public static let years: ClosedRange<Int> = 1900...2999

    /// A date, or nil when it does not exist (2023-02-29, 2024-04-31, month 13) or the
    /// year is outside 1900…2999.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month),
              day >= 1, day <= Self.daysInMonth(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date in a time zone `utcOffsetSeconds` east of UTC at `unixSeconds` after
    /// 1970-01-01T00:00Z; nil outside the accepted years. China's time (Asia/Shanghai) is
    /// UTC+8 all year: `CalendarDate(unixSeconds: now, utcOffsetSeconds: 8 * 3600)`.
    public init?(unixSeconds: Int64, utcOffsetSeconds: Int) {
        // Days since 1970-01-01, floored, then the civil date by eras of 400 years.
        let local = unixSeconds + Int64(utcOffsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: Int(year), month: Int(month), day: Int(day))
    }

    /// The date in China (Asia/Shanghai, UTC+8 all year) at `unixSeconds`: the day a
    /// report is made, where the year of a purchase is reckoned.
    public static func inChina(unixSeconds: Int64) -> CalendarDate? {
        CalendarDate(unixSeconds: unixSeconds, utcOffsetSeconds: 8 * 3_600)
    }

    /// The day a report of `year` is made on when none is given: today in China, or none
    /// for a year not begun yet (its report counts nothing and projects nothing).
    public static func reportDay(year: Int, unixSeconds: Int64) -> CalendarDate? {
        inChina(unixSeconds: unixSeconds).flatMap { $0.year >= year ? $0 : nil }
    }

    /// Parses exactly `YYYY-MM-DD` (surrounding spaces ignored): four-digit year,
    /// two-digit month and day.
    public init(parsingISO text: some StringProtocol) throws(DateError) {
        let t = FieldValue.trimmed(text)
        if t.isEmpty { throw .empty }
        let b = Array(t.utf8)
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else {
            throw .malformed(String(t))
        }
        guard Self.years.contains(y) else { throw .yearOutOfRange(String(t)) }
        guard let date = CalendarDate(year: y, month: m, day: d) else { throw .noSuchDate(String(t)) }
        self = date
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    public var description: String { iso }

    /// Whether `year` has a 29 February.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month (1…12) of a year.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The number of days in a year: 365 or 366.
    public static func daysInYear(_ year: Int) -> Int { isLeapYear(year) ? 366 : 365 }

    /// The day of the year: 1 for 1 January, up to 365 or 366 for 31 December.
    public var dayOfYear: Int {
        var n = day
        for m in 1..<month { n += Self.daysInMonth(year: year, month: m) }
        return n
    }

    /// Orders chronologically.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Why a text is not a date.
public enum DateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nothing was written.
    case empty
    /// Not of the form YYYY-MM-DD.
    case malformed(String)
    /// Of the right form, but the year is outside 1900…2999.
    case yearOutOfRange(String)
    /// Of the right form, but no such day exists (2023-02-29, 2024-13-01).
    case noSuchDate(String)

    public var description: String {
        switch self {
        case .empty:
            return "the date is empty: write it as YYYY-MM-DD, e.g. 2024-03-15"
        case .malformed(let text):
            return "\(FieldValue.shown(text)) is not a date in the form YYYY-MM-DD (e.g. 2024-03-15, with zero-padded month and day)"
        case .yearOutOfRange(let text):
            return "\(FieldValue.shown(text)): the year must be between 1900 and 2999"
        case .noSuchDate(let text):
            return "\(FieldValue.shown(text)) is not a day of the calendar: check the month (01–12) and the day (e.g. February has 28 days, 29 in leap years)"
        }
    }
}
