import Logging
import PostgresNIO
import SetasideCore

/// Stores the checked records of an import file. Each import is one transaction: the
/// records (parsed and checked in full by the core) are staged with COPY into a
/// temporary table, checked against what is stored, and only then merged; any problem
/// stores nothing.
public struct Importer: Sendable {
    public let store: Store
    /// Who imports, as the audit trail names them (`cli:USER`, `account:LOGIN`).
    public let actor: String
    /// The records of a file read at once while the server takes in the batch before:
    /// enough to keep the server busy while the next is read, few enough that the first
    /// reaches it soon.
    public var batchSize = 20_000
    /// Told how far the import has got, after each batch and at each stage (a command's
    /// progress line). Called on the importing task: it should return at once.
    public var progress: @Sendable (ImportProgress) -> Void = { _ in }

    public init(store: Store, actor: String) {
        self.store = store
        self.actor = actor
    }

    /// Why a row naming a unit, region or village that is not stored is refused.
    static func notStored(_ what: String, _ code: String, first kind: String) -> String {
        "\(what) \(code) is not stored; import it with the \(kind) first"
    }

    /// `notStored` as a SQL text expression over the column `column`.
    static func notStoredSQL(_ what: String, column: String, first kind: String) -> String {
        "'" + notStored(what, "' || \(column) || '", first: kind) + "'"
    }

    /// Takes the transaction-scoped lock of `kind`: imports of one kind run one at a
    /// time, so the checks against what is stored still hold when the rows go in.
    func lock(_ connection: PostgresConnection, _ kind: ImportKind) async throws {
        let slot = ImportKind.allCases.firstIndex(of: kind)!
        _ = try await connection.query("SELECT pg_advisory_xact_lock(4227100, \(slot)::int)", logger: store.logger).collect()
    }

    /// Creates the temporary table `name` (dropped at commit) and COPYs `records` into it.
    /// Returns how many records it staged.
    @discardableResult
    func stage<Record>(
        _ connection: PostgresConnection, _ kind: ImportKind, table name: String, definition: String, records: [Record],
        write: (inout CopyRows, Record) -> Void
    ) async throws -> Int {
        var pending: [Record]? = records
        return try await stage(connection, kind, table: name, definition: definition,
                            batches: { defer { pending = nil }; return pending }, write: write)
    }

    /// Creates the temporary table `name` (dropped at commit) and COPYs into it the
    /// records `batches` gives, a batch at a time until it gives nil: the next batch is
    /// read while the server takes in the last one. Returns how many records it staged.
    func stage<Record>(
        _ connection: PostgresConnection, _ kind: ImportKind, table name: String, definition: String,
        batches: () throws -> [Record]?, write: (inout CopyRows, Record) -> Void
    ) async throws -> Int {
        try await lock(connection, kind)
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE TEMPORARY TABLE \(name) (\(definition)) ON COMMIT DROP"),
                                   logger: store.logger)
        var count = 0
        try await connection.copyFrom(table: name, logger: store.logger) { writer in
            var rows = CopyRows()
            while let batch = try batches() {
                for record in batch {
                    write(&rows, record)
                    if rows.byteCount >= 1 << 20 { try await writer.write(rows.take()) }
                }
                count += batch.count
            }
            if rows.byteCount > 0 { try await writer.write(rows.take()) }
        }
        try await connection.query(PostgresQuery(unsafeSQL: "ANALYZE \(name)"), logger: store.logger)
        return count
    }

    /// Runs a query returning `(line, field, reason)` rows; `conflicts` when they are
    /// rows clashing with what is stored.
    func problems(_ connection: PostgresConnection, _ query: PostgresQuery, conflicts: Bool = false)
        async throws -> [InputProblem] {
        var problems: [InputProblem] = []
        let rows = try await connection.query(query, logger: store.logger)
        for try await (line, field, reason) in rows.decode((Int, String, String).self) {
            problems.append(InputProblem(line: line, field: field, reason: reason, isConflict: conflicts))
        }
        return problems
    }

    /// Throws `rejected` with the problems of all the checks, if any.
    func refuse(_ problems: [InputProblem]) throws {
        if !problems.isEmpty { throw ImportError.rejected(problems.sorted()) }
    }

    /// Runs `insert` (an `INSERT … SELECT` without `RETURNING`; `$1` is the importer),
    /// records the rows it stored in the audit trail in the same transaction, and returns
    /// how many it stored. Purchases are recorded by the ledger's trigger, by id and
    /// digest, one entry per unit, so that `audit verify` can name a row changed later;
    /// other kinds by their content through `audit_append`, one entry per unit (or per
    /// import where rows belong to no unit).
    func insertAudited(_ connection: PostgresConnection, _ kind: ImportKind, _ insert: String) async throws -> Int {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(actor)
        let sql: String
        switch kind {
        case .purchases:
            // The trigger names the import as the action of the entries of this statement.
            try await connection.query("SELECT set_config('setaside.action', 'import.purchases', true)", logger: store.logger)
            sql = "WITH stored AS (\(insert) RETURNING 1) SELECT count(*)::bigint, 0::bigint FROM stored"
        default:
            let group = kind == .regions ? "NULL::text" : "credit_code"
            let entity = kind == .regions ? "region" : String(kind.rawValue.dropLast())
            sql = """
                WITH stored AS (\(insert) RETURNING *),
                audited AS (
                    SELECT audit_append($1, 'import.\(kind.rawValue)', '\(entity)', count(*) || ' stored', \(group),
                                        NULL, jsonb_build_object('rows', jsonb_agg(to_jsonb(stored)))) AS id
                    FROM stored GROUP BY \(group)
                )
                SELECT (SELECT count(*) FROM stored)::bigint, (SELECT count(*) FROM audited)::bigint
                """
        }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: store.logger)
        var stored = 0
        for try await (count, _) in rows.decode((Int, Int).self) { stored = count }
        if kind == .purchases {
            try await connection.query("SELECT set_config('setaside.action', '', true)", logger: store.logger)
        }
        return stored
    }

    /// Runs an `INSERT` or `DELETE` with `RETURNING 1` added and returns how many rows it touched.
    func rowCount(_ connection: PostgresConnection, _ insert: String) async throws -> Int {
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "WITH stored AS (\(insert) RETURNING 1) SELECT count(*)::bigint FROM stored"),
            logger: store.logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
