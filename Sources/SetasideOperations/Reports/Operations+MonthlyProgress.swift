import SetasideCore
import SetasideStore

extension Operations {
    /// The canteen share's progress of `scope` (a unit or a region) by month of `year`:
    /// the compliance report as of each month's end, up to `today` in the year in
    /// progress (every month of a past year). Nil when no unit of the scope is bound.
    public func monthlyProgress(_ scope: ReportScope, today: CalendarDate, by caller: Caller) async throws -> MonthlyProgress? {
        let year = scope.year
        guard year <= today.year else { return nil }
        let months = year < today.year ? 12 : today.month
        var reports: [ComplianceReport] = []
        for month in 1...months {
            let end = month == months && year == today.year
                ? today : CalendarDate(year: year, month: month, day: CalendarDate.daysInMonth(year: year, month: month))
            var monthScope = scope
            monthScope.asOf = end
            reports.append(try await complianceReport(monthScope, by: caller))
        }
        return MonthlyProgress.canteenShare(reports)
    }
}
