import ArgumentParser

/// The `setaside` command: the ledger and referee of consumption-assistance procurement.
@main
struct Setaside: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setaside",
        abstract: "Track consumption-assistance procurement (消费帮扶采购) and check it against the policy packs.",
        discussion: """
            Every command uses the embedded PostgreSQL cluster under ./.setaside/ \
            (start it with `setaside db start`) unless DATABASE_URL is set, e.g. \
            DATABASE_URL=postgres://user:password@host:5432/setaside?sslmode=disable
            """,
        subcommands: [
            DatabaseCommand.self,
            MigrateCommand.self,
            ImportCommand.self,
            ReportCommand.self,
            PolicyCommand.self,
            DeclarationCommand.self,
            AssessmentCommand.self,
            ExportCommand.self,
            DemoCommand.self,
            AccountCommand.self,
            AuditCommand.self,
            ServeCommand.self,
        ]
    )
}
