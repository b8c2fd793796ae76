import ArgumentParser
import Foundation
import Logging
import SetasideEmbedded
import SetasideOperations

/// Finds the database and opens the operations on it for a command.
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

    /// Whoever runs this command, as the audit trail names them: `cli:` and the system user.
    var caller: Caller {
        let environment = ProcessInfo.processInfo.environment
        return .commandLine(user: environment["SUDO_USER"] ?? environment["USER"] ?? environment["LOGNAME"] ?? "unknown")
    }

    /// Runs `body` with the operations on DATABASE_URL or the embedded cluster of this
    /// folder. Unless `migrating`, the schema must be current. A command that writes
    /// passes `sealing: true`: its audit entries are chained once it has committed.
    func withOperations<Result: Sendable>(
        migrating: Bool = false, sealing: Bool = false, _ body: @Sendable (Operations) async throws -> Result
    ) async throws -> Result {
        // The embedded cluster's owner migrates; everything else logs in as the application.
        let url = try DatabaseLocator.resolve(
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            login: migrating ? .owner : .application)
        return try await Operations.with(url: url, logger: logger, migrating: migrating, sealing: sealing, body)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
