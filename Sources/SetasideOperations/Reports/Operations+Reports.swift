import SetasideCore
import SetasideStore

extension Operations {
    /// The compliance report of `scope`: one unit, a region, or (for the command line and
    /// admins) everything. Every caller gets it from this one computation.
    public func complianceReport(_ scope: ReportScope, by caller: Caller) async throws -> ComplianceReport {
        if let unit = scope.unit {
            try await authorize(caller, .read, unit: unit)
        } else if let region = scope.region {
            try await authorizeRegion(caller, region)
        } else if case .account(let account) = caller, account.role != .admin {
            throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not read the report of every unit")
        }
        if let problem = Self.dayProblem(scope) { throw ImportError.rejected([problem]) }
        return try await Self.translatingErrors { try await store.complianceReport(scope) }
    }

    /// A report is made on a day of its year or after it: the figures of a year not yet
    /// begun are nothing to report.
    static func dayProblem(_ scope: ReportScope) -> InputProblem? {
        guard let day = scope.asOf, day.year < scope.year else { return nil }
        return .field("as_of", "the day the report is made (\(day.iso)) is before its year \(scope.year)")
    }
}
