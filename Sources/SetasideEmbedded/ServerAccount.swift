import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating-system account the PostgreSQL server runs as.
///
/// PostgreSQL refuses to run as root. When setaside runs as root, the server runs
/// as an unprivileged system user through `runuser`: the owner of an existing
/// cluster folder, else `postgres` (created by Debian's package), else
/// `setaside-db`, which is created on first use. Otherwise it runs as the
/// current user.
struct ServerAccount: Sendable {
    /// The system user created when neither an existing owner nor `postgres` exists.
    static let fallbackUserName = "setaside-db"

    /// The user to switch to with `runuser`, or nil to run programs directly.
    let switchToUser: String?
    let uid: uid_t
    let gid: gid_t

    /// The account for a cluster whose data folder is (or will be) `dataDirectory`.
    static func resolve(
        dataDirectory: URL, runner: CommandRunner
    ) async throws(EmbeddedClusterError) -> ServerAccount {
        guard geteuid() == 0 else {
            return ServerAccount(switchToUser: nil, uid: geteuid(), gid: getegid())
        }
        #if !os(Linux)
        throw .toolMissing("runuser", hint: "run setaside as an ordinary user, not as root, on this system")
        #else
        if let owner = ownerOf(dataDirectory), owner != 0, let account = lookup(uid: owner) {
            return account
        }
        if let account = lookup(name: "postgres") { return account }
        if let account = lookup(name: fallbackUserName) { return account }
        guard let useradd = CommandRunner.findExecutable("useradd", extra: ["/usr/sbin/useradd", "/sbin/useradd"]) else {
            throw .serverUserCreationFailed(user: fallbackUserName, output: "useradd is not installed")
        }
        let outcome = try await runner.run(
            useradd, ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", fallbackUserName])
        guard outcome.succeeded, let account = lookup(name: fallbackUserName) else {
            throw .serverUserCreationFailed(user: fallbackUserName, output: outcome.output)
        }
        return account
        #endif
    }

    /// A name for messages: the user switched to, or the current user.
    var displayName: String {
        switchToUser ?? ServerAccount.name(of: uid) ?? "uid \(uid)"
    }

    /// Gives `url` to this account (only needed, and only done, when running as root).
    func takeOwnership(of url: URL) throws(EmbeddedClusterError) {
        guard switchToUser != nil else { return }
        if chown(url.path, uid, gid) != 0 {
            throw .fileSystem("could not give \(url.path) to the user '\(displayName)': \(String(cString: strerror(errno)))")
        }
    }

    /// Fails with a clear message when this account cannot write to `folder`
    /// (typically because a parent folder is closed to it, such as /root).
    func checkCanWrite(_ folder: URL, runner: CommandRunner) async throws(EmbeddedClusterError) {
        guard let user = switchToUser else { return }
        guard let test = CommandRunner.findExecutable("test", extra: ["/usr/bin/test", "/bin/test"]) else {
            throw .toolMissing("test", hint: "install coreutils")
        }
        let root = URL(fileURLWithPath: "/")
        if try await runner.run(test, ["-w", folder.path], as: user, workingDirectory: root).succeeded { return }
        // Find the first folder on the way that the user cannot enter.
        var ancestors: [URL] = []
        var current = folder
        while current.path != "/" {
            ancestors.insert(current, at: 0)
            current = current.deletingLastPathComponent()
        }
        for ancestor in ancestors {
            if !(try await runner.run(test, ["-x", ancestor.path], as: user, workingDirectory: root).succeeded) {
                let attributes = (try? FileManager.default.attributesOfItem(atPath: ancestor.path)) ?? [:]
                let owner = (attributes[.ownerAccountName] as? String) ?? "unknown"
                let mode = (attributes[.posixPermissions] as? Int).map { String($0, radix: 8) } ?? "unknown"
                throw .folderNotTraversable(user: user, folder: ancestor.path, owner: owner, mode: mode)
            }
        }
        throw .fileSystem("the user '\(user)' that runs PostgreSQL cannot write to \(folder.path)")
    }

    // MARK: - Account database

    private static func ownerOf(_ url: URL) -> uid_t? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return nil }
        return info.st_uid
    }

    private static func lookup(name: String) -> ServerAccount? {
        guard let entry = getpwnam(name) else { return nil }
        return ServerAccount(switchToUser: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    private static func lookup(uid: uid_t) -> ServerAccount? {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
        return ServerAccount(switchToUser: String(cString: name), uid: uid, gid: entry.pointee.pw_gid)
    }

    private static func name(of uid: uid_t) -> String? {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}
