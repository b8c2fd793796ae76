import ArgumentParser
import Foundation
import SetasideEmbedded
import SetasideStore

/// `setaside db`: the embedded PostgreSQL cluster under `./.setaside/`.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop and inspect the embedded PostgreSQL database in ./.setaside/.",
        discussion: """
            setaside keeps a PostgreSQL cluster of its own in the .setaside/ folder of \
            the current folder (data in .setaside/pgdata, log in .setaside/postgres.log). \
            It listens on 127.0.0.1 only, on port 54320 or the next free one \
            (SETASIDE_DB_PORT chooses another), and every other command uses it unless \
            DATABASE_URL is set. PostgreSQL must be installed \
            (apt-get install postgresql libpq-dev). As root, the server runs as the \
            `postgres` system user (or `setaside-db`, created if needed).

            Example:
              setaside db start
              setaside db status
              setaside db stop
            """,
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self]
    )

    /// The cluster of the current folder.
    static func cluster() -> EmbeddedCluster {
        EmbeddedCluster(workingDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// `setaside db start`
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the database on first use, and start it.",
            discussion: """
                The first start runs initdb, generates a password (kept in \
                .setaside/password), picks the port and creates the database `setaside`, \
                and the roles setaside_owner and setaside_app with passwords of their own \
                (.setaside/owner-password, .setaside/app-password). \
                Starting a database that already runs only prints its address.

                Example:
                  setaside db start
                  SETASIDE_DB_PORT=55432 setaside db start    # use (and remember) another port
                """
        )

        func run() async throws {
            let cluster = DatabaseCommand.cluster()
            let wasRunning: Bool
            if case .running = try await cluster.status() { wasRunning = true } else { wasRunning = false }
            let url = try await cluster.start()
            print(wasRunning ? "already running at \(url.redacted)" : "started at \(url.redacted)")
        }
    }

    /// `setaside db stop`
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop the database (open sessions are ended; committed data is kept).",
            discussion: """
                Stopping a database that is not running does nothing.

                Example:
                  setaside db stop
                """
        )

        func run() async throws {
            let cluster = DatabaseCommand.cluster()
            let before = try await cluster.status()
            try await cluster.stop()
            switch before {
            case .running: print("stopped")
            case .stopped: print("already stopped")
            case .notInitialised: print("nothing to stop: there is no database in \(cluster.directory.path)")
            }
        }
    }

    /// `setaside db status`
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tell whether the database exists and runs, and where (password hidden).",
            discussion: """
                Prints one line: running, stopped or not initialised, with the URL. \
                The exit status is 0 in all three cases.

                Example:
                  setaside db status
                """
        )

        func run() async throws {
            print(try await DatabaseCommand.cluster().status())
        }
    }

    /// `setaside db url`
    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url",
            abstract: "Print the database's full URL, password included, for scripts and psql.",
            discussion: """
                Prints the URL of the application role setaside_app, which the server \
                and the commands use: it reads everything but may not change or remove \
                what the ledger and the audit trail hold. --owner prints that of \
                setaside_owner, which owns the schema and applies the migrations; \
                --superuser that of the cluster's superuser, for creating databases \
                and repairs. Prints the URL even when the database is stopped (with a \
                warning on standard error); fails when it has never been started.

                Example:
                  export DATABASE_URL=$(setaside db url)
                  psql "$(setaside db url)" -c 'select 1'
                  psql "$(setaside db url --owner)" -c '\\dt'
                """
        )

        @Flag(help: "The URL of the owner role (setaside_owner), which migrations use.")
        var owner = false

        @Flag(help: "The URL of the cluster's superuser.")
        var superuser = false

        func validate() throws {
            if owner && superuser { throw ValidationError("give --owner or --superuser, not both") }
        }

        func run() async throws {
            let cluster = DatabaseCommand.cluster()
            let status = try await cluster.status()
            let url = try cluster.url(for: owner ? .owner : superuser ? .superuser : .application)
            if case .stopped = status {
                FileHandle.standardError.write(Data("warning: the database is stopped: run `setaside db start`\n".utf8))
            }
            print(url.absoluteString)
        }
    }
}
