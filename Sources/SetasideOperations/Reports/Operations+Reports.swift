import SetasideCore
import SetasideStore

extension Operations {
    /// The compliance report of `scope`: one unit, a region, or (for the command line and
    /// admins) everything. Every caller gets it from this one computation.
    public func complianceReport(_ asked: ReportScope, by caller: Caller) async throws -> ComplianceReport {
        var scope = asked
        if let unit = scope.unit {
            try await authorize(caller, .read, unit: unit)
        } else if let root = scope.supervising {
            // A supervising unit's report: admins; inspectors bound to it or to a unit above
            // it; inspectors bound to a region, for the units of the tree in their region.
            if case .account(let account) = caller, account.role != .admin {
                guard account.role == .inspector else {
                    throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not read the report of supervising unit \(root)")
                }
                try await authorize(caller, .read, unit: root)
                let chain = try await Self.translatingErrors { try await store.supervisingChain(root) }
                if account.supervising.map(chain.contains) != true, let region = account.region {
                    try await authorizeRegion(caller, scope.region ?? region)
                    if scope.region == nil { scope.region = region }
                } else if let region = scope.region {
                    try await authorizeRegion(caller, region)
                }
            }
        } else if let region = scope.region {
            try await authorizeRegion(caller, region)
        } else if case .account(let account) = caller, account.role != .admin {
            throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not read the report of every unit")
        }
        if let problem = Self.dayProblem(scope) { throw ImportError.rejected([problem]) }
        return try await cachedReport(scope)
    }

    /// The yearly assessment (年度考核) of a region, or (the command line, admins) of every
    /// unit: the same figures as `complianceReport`, for inspectors of the region and
    /// admins; clerks may not.
    public func assessment(_ scope: ReportScope, by caller: Caller) async throws -> Assessment {
        try await authorizeAssessment(scope, by: caller)
        let latest = try await Self.translatingErrors {
            try await store.latestSnapshot(year: scope.year, region: scope.region ?? DivisionCode.country.text)
        }
        return try await liveAssessment(scope, latest: latest)
    }

    /// Today's figures of `scope`, for a caller already authorized; `latest` is the
    /// snapshot covering it, if any, which the figures then name.
    func liveAssessment(_ scope: ReportScope, latest: AssessmentSnapshot?) async throws -> Assessment {
        if let problem = Self.dayProblem(scope) { throw ImportError.rejected([problem]) }
        return try await Self.translatingErrors {
            // The chain's head it names covers every entry written before it.
            _ = try await AuditTrail(store: store).seal()
            var assessment = try await store.assessment(scope)
            if let latest { assessment.figures = .liveSince(latest) }
            return assessment
        }
    }

    /// A report is made on a day of its year or after it: the figures of a year not yet
    /// begun are nothing to report.
    static func dayProblem(_ scope: ReportScope) -> InputProblem? {
        guard let day = scope.asOf, day.year < scope.year else { return nil }
        return .field("as_of", "the day the report is made (\(day.iso)) is before its year \(scope.year)")
    }
}
