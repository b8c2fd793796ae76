import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import SetasideStore

/// A PostgreSQL cluster of setaside's own, kept in a `.setaside/` folder.
///
/// Layout of the folder:
/// - `pgdata/`: the cluster (owned by the user the server runs as);
/// - `postgres.log`: the server's log;
/// - `run/`: the server's unix socket;
/// - `password`: the generated password of the superuser `setaside` (mode 600);
/// - `owner-password`, `app-password`: those of the roles `setaside_owner` (which owns
///   the schema) and `setaside_app` (which the server and the commands log in as);
/// - `port`: the TCP port on 127.0.0.1 the server listens on.
///
/// The server listens on 127.0.0.1 only and asks for the password (SCRAM) on every
/// connection. When setaside runs as root the server runs as an unprivileged system
/// user (see ``start()``).
public struct EmbeddedCluster: Sendable {
    /// The superuser and the database the cluster is created with.
    public static let userName = "setaside"
    /// The database that commands use.
    public static let databaseName = "setaside"
    /// The environment variable that chooses the port.
    public static let portVariable = "SETASIDE_DB_PORT"
    /// The environment variable that puts the cluster somewhere other than ./.setaside
    /// (for a checkout the server's system user cannot enter, such as one under /root).
    public static let homeVariable = "SETASIDE_HOME"

    /// The `.setaside` folder.
    public let directory: URL
    private let environment: [String: String]
    private let runner = CommandRunner()

    /// A cluster kept in `directory` (the `.setaside` folder, which need not exist yet).
    ///
    /// - Parameter environment: read for `SETASIDE_DB_PORT`.
    public init(directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = directory.standardizedFileURL
        self.environment = environment
    }

    /// The cluster of the `.setaside` folder in `workingDirectory`.
    /// `SETASIDE_HOME`, when set, names the folder instead.
    public init(workingDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let home = environment[Self.homeVariable], !home.isEmpty {
            self.init(directory: URL(fileURLWithPath: home, relativeTo: workingDirectory), environment: environment)
        } else {
            self.init(directory: workingDirectory.appendingPathComponent(".setaside"), environment: environment)
        }
    }

    var dataDirectory: URL { directory.appendingPathComponent("pgdata") }
    var logFile: URL { directory.appendingPathComponent("postgres.log") }
    var socketDirectory: URL { directory.appendingPathComponent("run") }
    var passwordFile: URL { directory.appendingPathComponent("password") }
    var portFile: URL { directory.appendingPathComponent("port") }
    var ownerPasswordFile: URL { directory.appendingPathComponent("owner-password") }
    var applicationPasswordFile: URL { directory.appendingPathComponent("app-password") }

    // MARK: - Public operations

    /// Creates the cluster if needed, starts it if it is not running, and returns its URL.
    ///
    /// On first start this runs `initdb`, picks the port (`SETASIDE_DB_PORT`, else the
    /// first free one on 127.0.0.1 from 54320 up), starts the server and creates the
    /// database `setaside`. If `SETASIDE_DB_PORT` is set on a later start, the cluster
    /// moves to that port. As root, the server runs as the existing `postgres` system
    /// user, else as `setaside-db` (created with `useradd --system`).
    public func start() async throws -> DatabaseURL {
        if isInitialised, isRunning() {
            let url = try url()
            try await ensureRoles(url: url)
            return url
        }

        let binaries = try await PostgresBinaries.locate(runner: runner)
        let account = try await ServerAccount.resolve(dataDirectory: dataDirectory, runner: runner)
        try makeDirectory(directory, mode: 0o755)
        try makeDirectory(socketDirectory, mode: 0o700)
        try account.takeOwnership(of: socketDirectory)

        if !isInitialised {
            try await initialise(binaries: binaries, account: account)
        } else if let requested = try requestedPort() {
            try write(String(requested) + "\n", to: portFile, mode: 0o644)
        }
        var url = try url()
        if !LocalPort.isFree(url.port) {
            // A port setaside chose itself moves to the next free one (another program took
            // it since); a port asked for with SETASIDE_DB_PORT is not second-guessed.
            guard try requestedPort() == nil, let free = LocalPort.firstFree() else {
                throw EmbeddedClusterError.portInUse(port: url.port, portFile: portFile.path)
            }
            try write(String(free) + "\n", to: portFile, mode: 0o644)
            url = try self.url()
        }

        if !FileManager.default.fileExists(atPath: logFile.path) {
            try write("", to: logFile, mode: 0o640)
        }
        try account.takeOwnership(of: logFile)

        // A port setaside chose may be taken between the check and the server's bind (two
        // clusters starting at once): it then moves on, a few times.
        for attempt in 1... {
            var options = "-c listen_addresses=127.0.0.1 -p \(url.port)"
            // A unix socket path longer than 107 bytes cannot be bound: do without one then.
            let socketPath = socketDirectory.path + "/.s.PGSQL.\(url.port)"
            options += socketPath.utf8.count < 108 ? " -k \(Self.shellQuoted(socketDirectory.path))" : " -k ''"
            let outcome = try await runner.run(
                binaries.pgCtl,
                ["start", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-o", options],
                as: account.switchToUser, workingDirectory: directory)
            if outcome.succeeded { break }
            let tail = logTail()
            guard attempt < 5, try requestedPort() == nil, tail.contains("Address already in use"),
                  let free = LocalPort.firstFree(excluding: url.port) else {
                throw EmbeddedClusterError.startFailed(output: outcome.output, logPath: logFile.path, logTail: tail)
            }
            try write(String(free) + "\n", to: portFile, mode: 0o644)
            url = try self.url()
        }
        try await ensureDatabase(binaries: binaries, url: url)
        try await ensureRoles(url: url)
        return url
    }

    /// Stops the server (`pg_ctl stop -m fast`: open sessions are ended, committed work is kept).
    ///
    /// Does nothing when the cluster does not exist or is not running.
    public func stop() async throws {
        guard isInitialised, isRunning() else { return }
        let binaries = try await PostgresBinaries.locate(runner: runner)
        let account = try await ServerAccount.resolve(dataDirectory: dataDirectory, runner: runner)
        let outcome = try await runner.run(
            binaries.pgCtl, ["stop", "-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60"],
            as: account.switchToUser, workingDirectory: directory)
        guard outcome.succeeded else { throw EmbeddedClusterError.stopFailed(output: outcome.output) }
    }

    /// Whether the cluster exists and runs, with its URL.
    public func status() async throws -> Status {
        try currentStatus()
    }

    /// The URL of the cluster (running or not), password included.
    ///
    /// - Throws: ``EmbeddedClusterError/notInitialised(directory:)`` before the first start.
    public func url() throws -> DatabaseURL {
        guard isInitialised else { throw EmbeddedClusterError.notInitialised(directory: directory.path) }
        let password = try read(passwordFile)
        guard let port = Int(try read(portFile)), (1...65535).contains(port) else {
            throw EmbeddedClusterError.fileSystem(
                "\(portFile.path) does not hold a port number: write the port (e.g. 54320) into it")
        }
        return DatabaseURL(
            user: Self.userName, password: password, host: "127.0.0.1", port: port,
            database: Self.databaseName, sslMode: .disable)
    }

    /// Who a URL of the cluster logs in as.
    public enum Login: Sendable, CaseIterable {
        /// `setaside_app`: what the server and the commands use.
        case application
        /// `setaside_owner`: owns the schema; `setaside migrate` uses it.
        case owner
        /// `setaside`, the cluster's superuser: for creating databases and for repairs.
        case superuser
    }

    /// The URL of the cluster (running or not) for `login`, password included. A cluster
    /// whose roles are not made yet (started before they were) answers with the
    /// superuser's URL, which setaside then uses as the application role.
    public func url(for login: Login) throws -> DatabaseURL {
        let superuser = try url()
        let role: String, file: URL
        switch login {
        case .superuser: return superuser
        case .application: (role, file) = (DatabaseRoles.application, applicationPasswordFile)
        case .owner: (role, file) = (DatabaseRoles.owner, ownerPasswordFile)
        }
        guard FileManager.default.fileExists(atPath: file.path) else { return superuser }
        var url = superuser
        url.user = role
        url.password = try read(file)
        return url
    }

    /// Creates the owner and application roles with passwords of their own (kept in the
    /// folder), unless done before; idempotent, run on every start.
    private func ensureRoles(url: DatabaseURL) async throws {
        func password(in file: URL) throws -> String {
            if let existing = try? read(file), !existing.isEmpty { return existing }
            let made = Self.randomPassword()
            try write(made + "\n", to: file, mode: 0o600)
            return made
        }
        let passwords = DatabaseRoles.Passwords(owner: try password(in: ownerPasswordFile),
                                                application: try password(in: applicationPasswordFile))
        var logger = Logger(label: "setaside-db")
        logger.logLevel = .error
        try await Store.prepareRoles(at: url, passwords: passwords, logger: logger)
    }

    // MARK: - State

    /// The status, read without running any program.
    func currentStatus() throws(EmbeddedClusterError) -> Status {
        guard isInitialised else {
            if FileManager.default.fileExists(atPath: dataDirectory.path),
               !FileManager.default.isReadableFile(atPath: dataDirectory.path) {
                throw .fileSystem(
                    "\(dataDirectory.path) is not readable: run setaside as root or as the user that owns it")
            }
            return .notInitialised
        }
        let url: DatabaseURL
        do { url = try self.url() } catch let error as EmbeddedClusterError { throw error } catch {
            throw .fileSystem("\(error)")
        }
        return isRunning() ? .running(url) : .stopped(url)
    }

    var isInitialised: Bool {
        FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path)
    }

    /// Whether the postmaster named in `postmaster.pid` is alive (as `pg_ctl status` decides).
    func isRunning() -> Bool {
        let pidFile = dataDirectory.appendingPathComponent("postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
              let firstLine = text.split(separator: "\n").first,
              let pid = pid_t(firstLine.trimmingCharacters(in: .whitespaces)), pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    // MARK: - First start

    private func initialise(binaries: PostgresBinaries, account: ServerAccount) async throws {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: dataDirectory.path) {
            let contents = (try? fileManager.contentsOfDirectory(atPath: dataDirectory.path)) ?? []
            guard contents.isEmpty else { throw EmbeddedClusterError.notACluster(path: dataDirectory.path) }
        }
        let port = try requestedPort() ?? {
            guard let free = LocalPort.firstFree() else { throw EmbeddedClusterError.noFreePort(LocalPort.searchRange) }
            return free
        }()

        try makeDirectory(dataDirectory, mode: 0o700)
        try account.takeOwnership(of: dataDirectory)
        try await account.checkCanWrite(dataDirectory, runner: runner)

        let password: String
        if let existing = try? read(passwordFile), !existing.isEmpty {
            password = existing
        } else {
            password = Self.randomPassword()
            try write(password + "\n", to: passwordFile, mode: 0o600)
        }
        // initdb reads the password from a file the server user can read; it lives
        // only while initdb runs.
        let initdbPasswordFile = socketDirectory.appendingPathComponent("initdb-password")
        try write(password + "\n", to: initdbPasswordFile, mode: 0o600)
        try account.takeOwnership(of: initdbPasswordFile)
        defer { try? fileManager.removeItem(at: initdbPasswordFile) }

        let outcome = try await runner.run(
            binaries.initdb,
            [
                "-D", dataDirectory.path, "-U", Self.userName, "-E", "UTF8", "--locale=\(Self.locale)",
                "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                "--pwfile=\(initdbPasswordFile.path)",
            ],
            as: account.switchToUser, workingDirectory: directory)
        guard outcome.succeeded else {
            // Leave no half-made cluster behind, so the next start tries again.
            try? fileManager.removeItem(at: dataDirectory)
            throw EmbeddedClusterError.initdbFailed(output: outcome.output)
        }
        try write(String(port) + "\n", to: portFile, mode: 0o644)
    }

    /// Creates the database `setaside` if it does not exist yet.
    private func ensureDatabase(binaries: PostgresBinaries, url: DatabaseURL) async throws {
        let environment = [
            "PGPASSWORD": url.password ?? "", "PGSSLMODE": "disable", "PGCONNECT_TIMEOUT": "10",
        ]
        let connection = ["-h", url.host, "-p", String(url.port), "-U", url.user]
        let check = try await runner.run(
            binaries.psql,
            ["-X", "-q", "-t", "-A"] + connection
                + ["-d", "postgres", "-c", "SELECT 1 FROM pg_database WHERE datname = '\(Self.databaseName)'"],
            environment: environment)
        guard check.succeeded else { throw EmbeddedClusterError.createDatabaseFailed(output: check.output) }
        if check.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return }
        let create = try await runner.run(
            binaries.createdb, connection + ["--maintenance-db=postgres", Self.databaseName],
            environment: environment)
        guard create.succeeded else { throw EmbeddedClusterError.createDatabaseFailed(output: create.output) }
    }

    /// The port asked for through `SETASIDE_DB_PORT`, if any.
    private func requestedPort() throws(EmbeddedClusterError) -> Int? {
        guard let text = environment[Self.portVariable]?.trimmingCharacters(in: .whitespaces),
              !text.isEmpty else { return nil }
        guard let port = Int(text), (1024...65535).contains(port) else { throw .invalidPortSetting(text) }
        return port
    }

    // MARK: - Files

    private func makeDirectory(_ url: URL, mode: Int) throws(EmbeddedClusterError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw .fileSystem("\(url.path) exists and is not a folder: move it away and try again")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw .fileSystem("could not create the folder \(url.path): \(error.localizedDescription)")
        }
    }

    private func write(_ text: String, to url: URL, mode: Int) throws(EmbeddedClusterError) {
        // Create with the final mode, so a secret is never readable by others, even briefly.
        try? FileManager.default.removeItem(at: url)
        guard FileManager.default.createFile(
            atPath: url.path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        else {
            throw .fileSystem("could not write \(url.path): check that you may write to \(directory.path)")
        }
    }

    private func read(_ url: URL) throws(EmbeddedClusterError) -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            if FileManager.default.fileExists(atPath: url.path) {
                throw .fileSystem(
                    "cannot read \(url.path): run setaside as the user who created the database (or as root)")
            }
            throw .fileSystem(
                "\(url.path) is missing, so the database in \(directory.path) cannot be reached: "
                    + "stop it, move \(directory.path) away and run `setaside db start` to make a new one")
        }
    }

    /// The last lines of `postgres.log`, where the server says why it did not start.
    private func logTail(lines: Int = 20) -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .suffix(lines + 1).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: - Helpers

    /// `C.UTF-8` where the C library has it (character classes know Unicode, sorting
    /// stays byte order), else `C`.
    private static var locale: String {
        #if canImport(Glibc)
        if let handle = newlocale(Int32(LC_CTYPE_MASK), "C.UTF-8", nil) {
            freelocale(handle)
            return "C.UTF-8"
        }
        #endif
        return "C"
    }

    private static func randomPassword(length: Int = 32) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Quotes `text` for `/bin/sh` (pg_ctl passes `-o` through a shell).
    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
