import SetasideCore
import SetasideFiles
import SetasideStore

extension Operations {
    /// Freezes the assessment of `scope` (a region, or every unit): records its figures
    /// and sheets as they are now, with the audit chain's head; a new freeze is a new
    /// snapshot. Admins and the command line.
    public func freezeAssessment(_ scope: ReportScope, by caller: Caller) async throws -> AssessmentSnapshot {
        if case .account(let account) = caller, account.role != .admin {
            throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not freeze an assessment: admins do")
        }
        if let problem = Self.dayProblem(scope) { throw ImportError.rejected([problem]) }
        if let region = scope.region { try await authorizeRegion(caller, region) }
        return try await Self.translatingErrors {
            if let region = scope.region, try await store.regionAncestry(region) == nil {
                throw AccessError.notFound("region \(region)")
            }
            _ = try await AuditTrail(store: store).seal()
            return try await store.freezeAssessment(scope, by: caller.actor) { assessment in
                (assessment.json(), SheetArchive.encode(assessment.sheets))
            }
        }
    }

    /// The snapshots of `scope`'s year and region, oldest first, for whoever may read its
    /// assessment.
    public func assessmentSnapshots(_ scope: ReportScope, by caller: Caller) async throws -> [AssessmentSnapshot] {
        try await authorizeAssessment(scope, by: caller)
        return try await Self.translatingErrors {
            try await store.snapshots(year: scope.year, region: scope.region ?? DivisionCode.country.text)
        }
    }

    /// What moved since the latest snapshot of `scope`: the units whose result or figures
    /// differ today, with the entries booked after the freeze.
    public func assessmentChanges(_ scope: ReportScope, by caller: Caller) async throws -> AssessmentChanges {
        try await authorizeAssessment(scope, by: caller)
        return try await Self.translatingErrors {
            guard let snapshot = try await store.latestSnapshot(year: scope.year,
                                                                region: scope.region ?? DivisionCode.country.text) else {
                throw AccessError.notFound("a snapshot of \(scope.year) for region \(scope.region ?? DivisionCode.country.text)")
            }
            // Today's figures as of the snapshot's day, so that only what was booked moves them.
            var live = scope
            live.asOf = snapshot.asOf
            let now = try await store.assessment(live)
            let frozen = try await store.frozenUnits(snapshot)
            let entries = try await store.entriesBooked(after: snapshot, in: scope)
            return AssessmentChanges(snapshot: snapshot, frozen: frozen, live: now.report.units.map(FrozenUnit.init),
                                     entries: entries)
        }
    }

    /// The figures an export shows: the latest snapshot's when one covers the scope and
    /// `live` is false, else today's.
    enum AssessmentSource {
        case live(Assessment)
        case frozen(SnapshotContent)
    }

    func assessmentSource(_ scope: ReportScope, live: Bool, by caller: Caller) async throws -> AssessmentSource {
        try await authorizeAssessment(scope, by: caller)
        let latest = try await Self.translatingErrors {
            try await store.latestSnapshot(year: scope.year, region: scope.region ?? DivisionCode.country.text)
        }
        if !live, let latest {
            return .frozen(try await Self.translatingErrors { try await store.snapshotContent(latest) })
        }
        return .live(try await liveAssessment(scope, latest: latest))
    }

    /// Who may read the assessment of `scope`: inspectors of its region and admins (every
    /// unit: admins), and the command line; clerks may not.
    func authorizeAssessment(_ scope: ReportScope, by caller: Caller) async throws {
        guard case .account(let account) = caller else { return }
        if account.role == .clerk {
            throw AccessError.forbidden("\(account.login) (clerk) may not read an assessment")
        }
        if let region = scope.region {
            try await authorizeRegion(caller, region)
        } else if account.role != .admin {
            throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not read the assessment of every unit")
        }
    }
}
