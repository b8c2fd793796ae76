import SetasideCore
import SetasideStore

/// The report cache: the pages and the API ask for the same region's or unit's report
/// again and again, and each costs a dozen queries over the ledger. A report is kept by
/// its scope (its year, unit, region, supervising unit and day) and served until
/// anything it is made of changes:
/// - a write by these operations empties the cache when it ends (`changingReports`),
///   before its answer is sent, so whoever wrote sees it on the next page;
/// - a write from anywhere else reaches `followReportChanges()` as a notice and empties
///   it too: from psql by the triggers of `sql/0025` (every input but purchases), from
///   another server or the command line by those and by its `ReportNotifier`, which
///   sends one notice per burst of writes.
/// Reports are kept only while that listener runs: without it a foreign write could go
/// unseen, so every report is computed afresh. An entry lives five minutes at most.
extension Operations {
    /// The NOTIFY channel `sql/0025` signals on when a report's inputs change.
    static let reportChannel = "setaside_reports"

    /// Keeps reports and empties them on every notice of a change; runs until cancelled,
    /// and throws when its connection fails. Either way it stops keeping reports then.
    public func followReportChanges() async throws {
        do {
            // Called once when listening has begun (anything before may have been missed),
            // then once per notice.
            try await store.listen(on: Self.reportChannel) {
                await reports.removeAll()
                await reports.keep(true)
            }
        } catch {
            await reports.keep(false)
            throw error
        }
        await reports.keep(false)
    }

    /// `scope`'s report, from the cache or computed (for a caller already authorized).
    func cachedReport(_ scope: ReportScope) async throws -> ComplianceReport {
        let report = try await Self.translatingErrors {
            try await reports.value(for: scope) { try await store.complianceReport(scope) }
        }
        // `complianceReport` always answers a report; nil is never loaded.
        return report!
    }

    /// Runs a write (its database errors translated, as `translatingErrors` does) and
    /// then empties the report cache and has the other servers told (`ReportNotifier`:
    /// the purchases table sends no notice of its own), whether it stored everything,
    /// part of it or (on an error) perhaps something. A dry run (`writes` false) stores
    /// nothing and changes no report.
    func changingReports<Result>(writes: Bool = true, _ write: () async throws -> Result) async throws -> Result {
        guard writes else { return try await Self.translatingErrors(write) }
        do {
            let result = try await Self.translatingErrors(write)
            await changed()
            return result
        } catch {
            await changed()
            throw error
        }
    }

    private func changed() async {
        await reports.removeAll()
        await notifier.signal()
    }
}
