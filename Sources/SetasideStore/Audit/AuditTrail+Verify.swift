import Logging
import PostgresNIO

/// Something `audit verify` found.
public enum AuditFinding: Sendable, Hashable, CustomStringConvertible {
    /// The entry at this position no longer hashes to what was sealed: it was changed.
    case entryChanged(seq: Int64, id: Int64)
    /// The entry sealed at this position is gone from the trail.
    case entryRemoved(seq: Int64, id: Int64)
    /// An entry that is neither in the chain nor waiting to be sealed: written with the
    /// trail's triggers switched off.
    case entryUnchained(id: Int64)
    /// Entries are missing before this position, or were put in behind the chain's back.
    case chainBroken(seq: Int64, reason: String)
    /// The purchase differs from what the trail recorded when it was stored.
    case purchaseChanged(id: Int64, creditCode: String, orderNo: String)
    /// The trail recorded this purchase; the ledger no longer has it.
    case purchaseRemoved(id: Int64)
    /// The ledger has a purchase the trail never recorded.
    case purchaseUnrecorded(id: Int64, creditCode: String, orderNo: String)
    /// A status change differs from what the trail recorded, is gone, or was never
    /// recorded (`state`: changed, removed, unrecorded).
    case statusChange(id: Int64, creditCode: String, orderNo: String, state: String)

    public var description: String {
        switch self {
        case .entryChanged(let seq, let id): "audit entry #\(seq) (id \(id)) was changed after it was sealed"
        case .entryRemoved(let seq, let id): "audit entry #\(seq) (id \(id)) was removed after it was sealed"
        case .entryUnchained(let id): "audit entry id \(id) is in no chain and was never queued to be sealed"
        case .chainBroken(let seq, let reason): "the chain breaks at #\(seq): \(reason)"
        case .purchaseChanged(let id, let unit, let order): "purchase \(id) (\(unit) \(order)) was changed behind the application's back"
        case .purchaseRemoved(let id): "purchase \(id) was removed behind the application's back"
        case .purchaseUnrecorded(let id, let unit, let order): "purchase \(id) (\(unit) \(order)) was added behind the application's back"
        case .statusChange(let id, let unit, let order, let state):
            "status change \(id) (\(unit) \(order)) was \(state == "unrecorded" ? "added" : state) behind the application's back"
        }
    }
}

/// The outcome of `audit verify`.
public struct AuditVerification: Sendable {
    public var entries: Int
    /// The hash of the last sealed entry: publish it to anchor the chain.
    public var head: String?
    public var purchasesChecked: Int
    public var findings: [AuditFinding]
}

extension AuditTrail {
    /// Seals what is pending, then recomputes every hash of the chain and every purchase
    /// digest against what the trail recorded.
    public func verify() async throws -> AuditVerification {
        try await seal()
        return try await store.transaction(readOnlySnapshot: true) { connection in
            var findings: [AuditFinding] = []
            var entries = 0
            var head: String?
            let chain = try await connection.query("""
                SELECT c.seq, c.entry_id, a.id IS NOT NULL AS present,
                       coalesce(c.hash = audit_hash(c.prev_hash, a), false) AS intact,
                       c.prev_hash = coalesce(lag(c.hash) OVER w, repeat('0', 64)) AS linked,
                       c.seq = coalesce(lag(c.seq) OVER w, 0) + 1 AS consecutive,
                       c.hash
                FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.entry_id
                WINDOW w AS (ORDER BY c.seq)
                ORDER BY c.seq
                """, logger: store.logger)
            for try await (seq, id, present, intact, linked, consecutive, hash)
                in chain.decode((Int64, Int64, Bool, Bool, Bool, Bool, String).self) {
                entries += 1
                head = hash
                if !present { findings.append(.entryRemoved(seq: seq, id: id)) }
                else if !intact { findings.append(.entryChanged(seq: seq, id: id)) }
                if !consecutive { findings.append(.chainBroken(seq: seq, reason: "the entries before it are missing")) }
                else if !linked { findings.append(.chainBroken(seq: seq, reason: "it does not follow the entry before it")) }
            }
            let unchained = try await connection.query("""
                SELECT a.id FROM audit_log a
                WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.entry_id = a.id)
                  AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.entry_id = a.id)
                ORDER BY a.id
                """, logger: store.logger)
            for try await id in unchained.decode(Int64.self) { findings.append(.entryUnchained(id: id)) }
            var checked = 0
            // Every row of one query is read before the next is sent on the connection.
            for (id, unit, order, state) in try await Self.recordedRows(
                entity: "purchase", rows: "SELECT p.id, p.credit_code, p.order_no, purchase_digest(p) AS digest FROM purchases p",
                on: connection, logger: store.logger) {
                switch state {
                case "unrecorded": findings.append(.purchaseUnrecorded(id: id, creditCode: unit, orderNo: order))
                case "removed": findings.append(.purchaseRemoved(id: id))
                default: findings.append(.purchaseChanged(id: id, creditCode: unit, orderNo: order))
                }
            }
            // Status changes, against what their own trigger recorded.
            for (id, unit, order, state) in try await Self.recordedRows(
                entity: "purchase_status",
                rows: "SELECT c.id, c.credit_code, c.order_no, purchase_status_digest(c) AS digest FROM purchase_status_changes c",
                on: connection, logger: store.logger) {
                findings.append(.statusChange(id: id, creditCode: unit, orderNo: order, state: state))
            }
            for try await count in try await connection.query("SELECT count(*)::bigint FROM purchases", logger: store.logger)
                .decode(Int.self) {
                checked = count
            }
            return AuditVerification(entries: entries, head: head, purchasesChecked: checked, findings: findings)
        }
    }

    /// The rows (`rows`: id, credit_code, order_no, digest) that differ from what the trail's
    /// entries of `entity` recorded by id and digest: `(id, unit, order, state)` with state
    /// `changed`, `removed` (recorded, gone) or `unrecorded` (there, never recorded).
    static func recordedRows(entity: String, rows: String, on connection: PostgresConnection, logger: Logger)
        async throws -> [(Int64, String, String, String)] {
        let result = try await connection.query(PostgresQuery(unsafeSQL: """
            WITH recorded AS (
                SELECT r.id::bigint AS id, r.digest
                FROM audit_log a,
                     LATERAL unnest(ARRAY(SELECT jsonb_array_elements_text(a.after -> 'ids')),
                                    ARRAY(SELECT jsonb_array_elements_text(a.after -> 'digests'))) AS r(id, digest)
                WHERE a.entity = '\(entity)' AND a.after ? 'digests'
            ), current AS (\(rows))
            SELECT * FROM (
                SELECT coalesce(c.id, r.id) AS id, coalesce(c.credit_code, ''), coalesce(c.order_no, ''),
                       CASE WHEN r.id IS NULL THEN 'unrecorded'
                            WHEN c.id IS NULL THEN 'removed'
                            WHEN r.digest <> c.digest THEN 'changed'
                            ELSE 'ok' END AS state
                FROM current c FULL JOIN recorded r ON r.id = c.id
            ) x WHERE state <> 'ok' ORDER BY id
            """), logger: logger)
        var found: [(Int64, String, String, String)] = []
        for try await row in result.decode((Int64, String, String, String).self) { found.append(row) }
        return found
    }
}
