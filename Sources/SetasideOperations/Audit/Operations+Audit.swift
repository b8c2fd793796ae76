import Foundation
import SetasideStore

extension Operations {
    /// Chains the audit entries written since the last seal; how many were chained.
    @discardableResult
    public func sealAuditTrail() async throws -> Int {
        try await Self.translatingErrors { try await AuditTrail(store: store).seal() }
    }

    /// Recomputes the trail's hash chain and every purchase against it.
    public func verifyAuditTrail() async throws -> AuditVerification {
        try await Self.translatingErrors { try await AuditTrail(store: store).verify() }
    }

    /// The trail's entries, newest first: of one unit, since a time, at most `limit`.
    public func auditLog(unit: String?, since: Date?, limit: Int) async throws -> [AuditRecord] {
        try await Self.translatingErrors { try await AuditTrail(store: store).log(unit: unit, since: since, limit: limit) }
    }
}
