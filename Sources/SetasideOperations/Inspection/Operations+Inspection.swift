import SetasideCore
import SetasideStore

extension Operations {
    /// Records an inspector's finding on the purchase `id`: accept, reject (with a
    /// reason: the purchase stops counting) or note.
    public func recordFinding(purchase id: Int64, verdict: FindingVerdict, reason: String, by caller: Caller)
        async throws -> FindingView {
        let purchase = try await purchase(id: id, for: .writeFindings, by: caller)
        if verdict == .reject, FieldValue.trimmed(reason).isEmpty {
            throw ImportError.rejected([InputProblem.field("reason", "a rejection needs a reason")])
        }
        let inspector: String
        switch caller {
        case .account(let account): inspector = account.login
        case .commandLine(let user): inspector = "cli:\(user)"
        }
        return try await changingReports {
            try await store.addFinding(purchase: purchase, verdict: verdict.rawValue, reason: reason,
                                       inspector: inspector, actor: caller.actor)
        }
    }

    /// The findings recorded on the purchase `id`, oldest first, if `caller` may read it.
    public func findings(purchase id: Int64, by caller: Caller) async throws -> [FindingView] {
        let purchase = try await purchase(id: id, by: caller)
        return try await Self.translatingErrors { try await store.findings(of: purchase) }
    }

    /// Draws a reproducible sample of `size` purchases of the units under `region` in
    /// `year`: the same seed and the same data give the same sample. The year is the
    /// report's (by ledger date), and the sample is of the counted orders the report
    /// adds up, or with `includeAll` of every row of the year (cancelled, refunded,
    /// rejected and reversal rows too).
    public func drawSpotCheck(region: String, year: Int, size: Int, seed: String, includeAll: Bool = false,
                              by caller: Caller) async throws -> SpotCheck {
        try authorizeRole(caller, .writeFindings)
        try await authorizeRegion(caller, region)
        var problems: [InputProblem] = []
        if !(1...10_000).contains(size) { problems.append(InputProblem.field("size", "must be from 1 to 10000")) }
        if seed.isEmpty || seed.unicodeScalars.count > 200 { problems.append(InputProblem.field("seed", "must have 1 to 200 characters")) }
        if !problems.isEmpty { throw ImportError.rejected(problems) }
        return try await Self.translatingErrors {
            try await store.spotCheck(region: region, year: year, size: size, seed: seed, includeAll: includeAll,
                                      actor: caller.actor)
        }
    }
}
