import ArgumentParser
import SetasideStore
import SetasideOperations

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the schema migrations this binary carries.",
        discussion: """
            Applies the pending files of sql/ in order, each in one transaction, and records \
            them with a checksum. An applied file that has since changed is an error. \
            Running it again applies nothing.

            Example: setaside migrate
            """)

    @OptionGroup var connection: ConnectionOptions

    @Flag(help: "List the pending migrations without applying them.")
    var dryRun = false

    func run() async throws {
        let dryRun = dryRun
        let names = try await connection.withOperations(migrating: true) { operations in
            dryRun ? try await operations.pendingMigrations() : try await operations.migrate()
        }
        if names.isEmpty {
            print("The schema is up to date (\(Operations.migrationCount) migrations).")
        } else {
            print(dryRun ? "Pending:" : "Applied:")
            for name in names { print("  \(name)") }
        }
    }
}
