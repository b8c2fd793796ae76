import Foundation
import SetasideStore

/// Chooses the database a command works on.
public enum DatabaseLocator {
    /// The environment variable that names another database.
    public static let environmentVariable = "DATABASE_URL"

    /// `DATABASE_URL` if it is set (and not empty), else the URL of the embedded
    /// cluster in `workingDirectory/.setaside` if it is running, logging in as `login`
    /// (the application role unless said otherwise; `DATABASE_URL` is taken as it is).
    ///
    /// - Throws: ``DatabaseLocatorError`` when `DATABASE_URL` is malformed or there is
    ///   no running database; ``EmbeddedClusterError`` when `.setaside/` cannot be read.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: URL,
        login: EmbeddedCluster.Login = .application
    ) throws -> DatabaseURL {
        if let text = environment[environmentVariable],
           !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            do {
                return try DatabaseURL(parsing: text)
            } catch {
                throw DatabaseLocatorError.invalidDatabaseURL(error)
            }
        }
        let cluster = EmbeddedCluster(workingDirectory: workingDirectory, environment: environment)
        switch try cluster.currentStatus() {
        case .running: return try cluster.url(for: login)
        case .stopped: throw DatabaseLocatorError.embeddedStopped(directory: cluster.directory.path)
        case .notInitialised: throw DatabaseLocatorError.noDatabase
        }
    }
}
