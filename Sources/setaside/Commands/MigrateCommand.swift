import ArgumentParser
import SetasideStore

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
        let names = try await connection.withStore(migrating: true) { store in
            let migrator = Migrator(store: store)
            return dryRun ? try await migrator.pending() : try await migrator.migrate()
        }
        if names.isEmpty {
            print("The schema is up to date (\(Migration.all.count) migrations).")
        } else {
            print(dryRun ? "Pending:" : "Applied:")
            for name in names { print("  \(name)") }
        }
    }
}
