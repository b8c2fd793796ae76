import Foundation

/// Why the embedded PostgreSQL cluster under `.setaside/` could not be set up, started,
/// stopped or read.
public enum EmbeddedClusterError: Error, Sendable, CustomStringConvertible {
    /// PostgreSQL's server programs (`initdb`, `pg_ctl`, …) are not installed.
    case postgresNotInstalled(searched: [String])
    /// Another program the cluster needs is missing.
    case toolMissing(String, hint: String)
    /// A program could not be launched at all.
    case launchFailed(String, reason: String)
    /// A file or folder could not be created, read or changed.
    case fileSystem(String)
    /// There is no cluster in the folder yet.
    case notInitialised(directory: String)
    /// `pgdata` exists but does not hold a PostgreSQL cluster.
    case notACluster(path: String)
    /// The system user that should run the server could not be created.
    case serverUserCreationFailed(user: String, output: String)
    /// The system user running the server cannot enter a folder on the way to the cluster.
    case folderNotTraversable(user: String, folder: String, owner: String, mode: String)
    /// `SETASIDE_DB_PORT` is not a valid port number.
    case invalidPortSetting(String)
    /// No free TCP port was found on 127.0.0.1.
    case noFreePort(ClosedRange<Int>)
    /// The cluster's port is taken by another program.
    case portInUse(port: Int, portFile: String)
    /// `initdb` failed.
    case initdbFailed(output: String)
    /// `pg_ctl start` failed; `logTail` holds the end of `postgres.log`.
    case startFailed(output: String, logPath: String, logTail: String)
    /// `pg_ctl stop` failed.
    case stopFailed(output: String)
    /// The `setaside` database could not be created after the first start.
    case createDatabaseFailed(output: String)

    public var description: String {
        switch self {
        case .postgresNotInstalled(let searched):
            return """
                PostgreSQL's server programs (initdb, pg_ctl) were not found \
                (looked in: \(searched.isEmpty ? "nothing: pg_config is not on PATH" : searched.joined(separator: ", "))). \
                Install them with `apt-get install postgresql libpq-dev`, \
                or set DATABASE_URL to use a PostgreSQL server elsewhere.
                """
        case .toolMissing(let tool, let hint):
            return "the program '\(tool)' was not found: \(hint)"
        case .launchFailed(let path, let reason):
            return "could not run \(path): \(reason)"
        case .fileSystem(let message):
            return message
        case .notInitialised(let directory):
            return "there is no database in \(directory) yet: run `setaside db start` in this folder to create one"
        case .notACluster(let path):
            return """
                \(path) exists but does not hold a PostgreSQL cluster (no PG_VERSION): \
                move or delete it, then run `setaside db start` again
                """
        case .serverUserCreationFailed(let user, let output):
            return """
                could not create the system user '\(user)' that runs PostgreSQL (the server refuses to run as root): \
                \(output.trimmingCharacters(in: .whitespacesAndNewlines)). \
                Create it yourself with `useradd --system --no-create-home --shell /usr/sbin/nologin \(user)`, \
                or run setaside as an ordinary user.
                """
        case .folderNotTraversable(let user, let folder, let owner, let mode):
            return """
                PostgreSQL runs as the system user '\(user)', which cannot enter \(folder) \
                (owner \(owner), mode \(mode)). Either allow it with `chmod o+x \(folder)`, \
                run `setaside db start` in a folder outside it (e.g. under /srv or /tmp), \
                or set DATABASE_URL to use another server.
                """
        case .invalidPortSetting(let value):
            return "SETASIDE_DB_PORT is '\(value)': set it to a TCP port number from 1024 to 65535, or unset it"
        case .noFreePort(let range):
            return """
                no free TCP port on 127.0.0.1 from \(range.lowerBound) to \(range.upperBound): \
                set SETASIDE_DB_PORT to a free port
                """
        case .portInUse(let port, let portFile):
            return """
                port \(port) on 127.0.0.1 is taken by another program, so the database cannot start: \
                stop that program, or start with SETASIDE_DB_PORT set to a free port \
                (it is then remembered in \(portFile))
                """
        case .initdbFailed(let output):
            return "initdb could not create the cluster:\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .startFailed(let output, let logPath, let logTail):
            var text = "PostgreSQL did not start"
            let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { text += ":\n\(trimmed)" }
            if !logTail.isEmpty { text += "\nLast lines of \(logPath):\n\(logTail)" }
            return text
        case .stopFailed(let output):
            return "PostgreSQL did not stop:\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        case .createDatabaseFailed(let output):
            return "could not create the database 'setaside':\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}
