import PostgresNIO
import SetasideCore
@testable import SetasideStore
import Testing

/// The append-only tables refuse every change with the ledger's own SQLSTATE, SA001
/// (a trigger's refusal, not some other error such as a foreign key's), even to the
/// schema's owner, which holds every privilege on them (the application role holds
/// none of these: `RoleTests`).
@Suite struct AppendOnlyTests {
    static func rows(_ store: Store, _ table: String) async throws -> Int {
        try await ImportTests.count(store, table)
    }

    @Test func truncatingTheFindingsIsRefused() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { store in
            try await ReportTests.loadWithFindings(store)
            #expect(try await Self.rows(store, "findings") == 4)
            #expect(await AuditTests.refusal(store, "TRUNCATE findings") == "SA001")
            #expect(await AuditTests.refusal(store, "TRUNCATE findings RESTART IDENTITY") == "SA001")
            #expect(try await Self.rows(store, "findings") == 4)
        }
    }

    @Test func truncatingTheTrailIsRefused() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { store in
            _ = try await ImportTests.load(store)
            let entries = try await Self.rows(store, "audit_log")
            #expect(entries > 0)
            #expect(await AuditTests.refusal(store, "TRUNCATE audit_log") == "SA001")
            #expect(await AuditTests.refusal(store, "TRUNCATE audit_log CASCADE") == "SA001")
            #expect(try await Self.rows(store, "audit_log") == entries)
            #expect(try await AuditTrail(store: store).verify().findings.isEmpty)
        }
    }

    @Test func theChainRefusesUpdateDeleteAndTruncate() async throws {
        try await TestDatabase.withStore(as: DatabaseRoles.owner) { store in
            _ = try await ImportTests.load(store)
            // Row triggers fire only on rows: seal first, so the chain has some.
            let sealed = try await AuditTrail(store: store).seal()
            #expect(sealed > 0)
            #expect(try await Self.rows(store, "audit_chain") == sealed)
            #expect(await AuditTests.refusal(store, "UPDATE audit_chain SET hash = repeat('0', 64) WHERE seq = 2") == "SA001")
            #expect(await AuditTests.refusal(store, "UPDATE audit_chain SET seq = seq + 1000") == "SA001")
            #expect(await AuditTests.refusal(store, "DELETE FROM audit_chain WHERE seq = \(sealed)") == "SA001")
            #expect(await AuditTests.refusal(store, "DELETE FROM audit_chain") == "SA001")
            #expect(await AuditTests.refusal(store, "TRUNCATE audit_chain") == "SA001")
            #expect(try await Self.rows(store, "audit_chain") == sealed)
            let verified = try await AuditTrail(store: store).verify()
            #expect(verified.findings.isEmpty)
            #expect(verified.entries == sealed)
        }
    }
}
