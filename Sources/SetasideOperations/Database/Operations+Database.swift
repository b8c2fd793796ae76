import SetasideStore

extension Operations {
    /// Whether the database answers (for a health check): throws when it does not.
    public func checkDatabase() async throws {
        try await Self.translatingErrors { try await store.ping() }
    }

    /// Whether the database answers within `timeout`, asked apart from the pool (whose
    /// waits while the database is away must not stall the answer).
    public func databaseAnswers(within timeout: Duration) async -> Bool {
        await store.answers(within: timeout)
    }

    /// Applies the migrations the database lacks; their names.
    public func migrate() async throws -> [String] {
        try await Self.translatingErrors { try await Migrator(store: store).migrate() }
    }

    /// The migrations the database lacks, without applying them.
    public func pendingMigrations() async throws -> [String] {
        try await Self.translatingErrors { try await Migrator(store: store).pending() }
    }

    /// How many migrations this setaside carries.
    public static var migrationCount: Int { Migration.all.count }

    /// Refuses (`StoreError.notMigrated`) unless the schema is current.
    public func requireCurrentSchema() async throws {
        try await Self.translatingErrors { try await Migrator(store: store).requireCurrent() }
    }
}
