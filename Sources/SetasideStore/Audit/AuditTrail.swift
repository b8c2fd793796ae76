import Foundation
import PostgresNIO

/// The tamper-evident trail: appends entries inside the writer's transaction, seals
/// them into the hash chain after commit, verifies the chain and the ledger against it.
public struct AuditTrail: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Appends `entry` on `connection`, inside the caller's transaction, through
    /// `audit_append` (the application role may not write the trail itself). A purchase's
    /// entry is not written here: the ledger's trigger writes it when the row is stored.
    public static func append(_ entry: AuditEntry, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            SELECT audit_append(\(entry.actor), \(entry.action), \(entry.entity), \(entry.entityKey), \(entry.creditCode),
                                \(entry.before)::jsonb, \(entry.after)::jsonb)
            """, logger: logger)
    }

    /// Chains the committed entries not yet sealed; returns how many it sealed (0 when
    /// another sealer is at work).
    @discardableResult
    public func seal() async throws -> Int {
        let rows = try await store.client.query("SELECT audit_seal()::bigint", logger: store.logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// The entries, newest first, optionally of one unit and since a time.
    public func log(unit: String? = nil, since: Date? = nil, limit: Int = 100) async throws -> [AuditRecord] {
        let rows = try await store.client.query("""
            SELECT a.id, to_char(a.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'), a.actor, a.action,
                   a.entity, a.entity_key, a.credit_code, a.before::text, a.after::text, c.seq, c.hash
            FROM audit_log a LEFT JOIN audit_chain c ON c.entry_id = a.id
            WHERE (\(unit)::text IS NULL OR a.credit_code = \(unit))
              AND (\(since)::timestamptz IS NULL OR a.at >= \(since))
            ORDER BY a.id DESC
            LIMIT \(limit)
            """, logger: store.logger)
        var records: [AuditRecord] = []
        for try await (id, at, actor, action, entity, key, unit, before, after, seq, hash)
            in rows.decode((Int64, String, String, String, String, String, String?, String?, String?, Int64?, String?).self) {
            records.append(AuditRecord(id: id, at: at, actor: actor, action: action, entity: entity, entityKey: key,
                                       creditCode: unit, before: before, after: after, seq: seq, hash: hash))
        }
        return records
    }
}

/// An entry as stored, for `setaside audit log`.
public struct AuditRecord: Sendable {
    public var id: Int64
    /// Beijing time, `YYYY-MM-DD HH:MM:SS`.
    public var at: String
    public var actor: String
    public var action: String
    public var entity: String
    public var entityKey: String
    public var creditCode: String?
    public var before: String?
    public var after: String?
    /// Position in the chain and hash, once sealed.
    public var seq: Int64?
    public var hash: String?
}
