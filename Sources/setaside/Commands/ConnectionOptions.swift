import ArgumentParser
import Foundation
import Logging
import SetasideEmbedded
import SetasideStore

/// Finds the database and opens the store for a command.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Log level on standard error (trace, debug, info, notice, warning, error).",
        valueName: "level"))
    var logLevel: Logger.Level = .warning

    var logger: Logger {
        var logger = Logger(label: "setaside")
        logger.logLevel = logLevel
        return logger
    }

    /// How the audit trail names whoever runs this command: `cli:` and the system user.
    var actor: String {
        let environment = ProcessInfo.processInfo.environment
        let user = environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
        return "cli:\(user)"
    }

    /// Runs `body` with a store on DATABASE_URL or the embedded cluster of this folder.
    /// Unless `migrating`, the schema must be current.
    /// A command that writes passes `sealing: true`: its audit entries are chained once it
    /// has committed.
    func withStore<Result: Sendable>(
        migrating: Bool = false, sealing: Bool = false, _ body: @Sendable (Store) async throws -> Result
    ) async throws -> Result {
        let url = try DatabaseLocator.resolve(
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return try await Store.withStore(url: url, logger: logger) { store in
            if !migrating { try await Migrator(store: store).requireCurrent() }
            let result = try await body(store)
            if sealing { try await AuditTrail(store: store).seal() }
            return result
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
