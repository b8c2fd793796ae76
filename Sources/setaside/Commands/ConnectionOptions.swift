import ArgumentParser
import Foundation
import Logging
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

    /// Runs `body` with a store on DATABASE_URL or the embedded cluster of this folder.
    /// Unless `migrating`, the schema must be current.
    func withStore<Result: Sendable>(
        migrating: Bool = false, _ body: @Sendable (Store) async throws -> Result
    ) async throws -> Result {
        let url = try DatabaseLocator.resolve(
            workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return try await Store.withStore(url: url, logger: logger) { store in
            if !migrating { try await Migrator(store: store).requireCurrent() }
            return try await body(store)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
