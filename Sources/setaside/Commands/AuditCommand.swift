import ArgumentParser
import Foundation
import SetasideCore
import SetasideOperations
import SetasideStore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and show the audit trail of every write.",
        subcommands: [Verify.self, Log.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain and every purchase against it; name what was changed behind the application's back.",
            discussion: """
                Exits with 1 when anything was changed, removed or added outside setaside \
                (for example with psql). The last line is the chain's head hash: keep it \
                somewhere else (in the yearly assessment, say) to anchor the chain.

                Example: setaside audit verify
                """)

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let result = try await connection.withOperations { try await $0.verifyAuditTrail() }
            for finding in result.findings { print(finding.description) }
            print("\(result.entries) entries in the chain, \(result.purchasesChecked) purchases checked: "
                  + (result.findings.isEmpty ? "intact." : "\(result.findings.count) problems."))
            print("head: \(result.head ?? "(empty chain)")")
            if !result.findings.isEmpty { throw ExitCode(1) }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the trail, newest first.",
            discussion: """
                Examples:
                  setaside audit log --unit 91110000101623741K
                  setaside audit log --since 2024-06-01 --limit 500
                """)

        @Option(help: ArgumentHelp("Only entries about this unit.", valueName: "credit-code"))
        var unit: String?

        @Option(help: ArgumentHelp("Only entries from this day on (YYYY-MM-DD, Beijing time).", valueName: "date"))
        var since: String?

        @Option(help: "At most this many entries.")
        var limit = 100

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            var sinceDate: Date?
            if let since {
                let day = try parse { try CalendarDate(parsingISO: since) }
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
                sinceDate = calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
            }
            let (unit, limit) = (unit, limit)
            let start = sinceDate
            let records = try await connection.withOperations { operations in
                try await operations.auditLog(unit: unit, since: start, limit: limit)
            }
            let rows = records.map { record in
                [String(record.id), record.at, record.actor, record.action, record.entity + " " + record.entityKey,
                 record.creditCode ?? "", record.seq.map { "#\($0)" } ?? "pending"]
            }
            print(TextTable(header: ["id", "at (Beijing)", "actor", "action", "what", "unit", "chain"], rows: rows).render(),
                  terminator: "")
        }

        private func parse<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch { throw ValidationError("--since: \(error)") }
        }
    }
}
