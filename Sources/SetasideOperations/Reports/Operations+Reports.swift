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
        return try await Self.translatingErrors { try await store.complianceReport(scope) }
    }
}
