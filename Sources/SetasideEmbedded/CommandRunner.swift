import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs external programs (`initdb`, `pg_ctl`, `psql`, …) and collects their output.
///
/// Programs are started with `posix_spawn` rather than Foundation's `Process`:
/// on Linux `Process` notices that a child ended when a socket it hands to the
/// child is closed, and the postmaster that `pg_ctl start` leaves running inherits
/// that socket, so `Process` would wait for it forever. Here no descriptor but
/// standard input, output and error reaches the child, output goes to a temporary
/// file, and the end is seen with `waitpid`.
struct CommandRunner: Sendable {
    /// What a finished program reported.
    struct Outcome: Sendable {
        var status: Int32
        var output: String
        var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` with `arguments`, as `user` (through `runuser`) when given.
    ///
    /// - Parameters:
    ///   - environment: variables added to (or replacing) this process's environment.
    ///   - workingDirectory: where the program starts; it must be reachable by `user`.
    func run(
        _ executable: URL,
        _ arguments: [String],
        as user: String? = nil,
        environment: [String: String] = [:],
        workingDirectory: URL? = nil
    ) async throws(EmbeddedClusterError) -> Outcome {
        var command = [executable.path] + arguments
        if let workingDirectory {
            // Change folder in the child (as `user`, after runuser switched to it).
            command = ["/bin/sh", "-c", "cd \"$0\" || exit 127; exec \"$@\"", workingDirectory.path] + command
        }
        if let user {
            guard let runuser = Self.findExecutable("runuser", extra: ["/usr/sbin/runuser", "/sbin/runuser"]) else {
                throw .toolMissing("runuser", hint: "install util-linux, which provides it")
            }
            command = [runuser.path, "-u", user, "--"] + command
        }

        var variables = ProcessInfo.processInfo.environment
        for (key, value) in environment { variables[key] = value }
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("setaside-\(UUID().uuidString).out").path
        defer { unlink(outputPath) }

        let pid = try Self.spawn(command, environment: variables, outputPath: outputPath)
        let status = await Self.waitForExit(of: pid)
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return Outcome(status: status, output: String(decoding: data, as: UTF8.self))
    }

    /// The first executable named `name` on `PATH`, else the first of `extra` that exists.
    static func findExecutable(_ name: String, extra: [String] = []) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/\(name)" } + extra
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return URL(fileURLWithPath: candidate)
        }
        return nil
    }

    // MARK: - Spawning

    private static func spawn(
        _ command: [String], environment: [String: String], outputPath: String
    ) throws(EmbeddedClusterError) -> pid_t {
        markDescriptorsCloseOnExec()

        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw .launchFailed(command[0], reason: String(cString: strerror(result)))
        }
        return pid
    }

    /// Waits on a thread of its own, so no thread of the concurrency pool blocks.
    private static func waitForExit(of pid: pid_t) async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 {
                    if errno != EINTR {
                        continuation.resume(returning: 127)
                        return
                    }
                }
                if status & 0x7f == 0 {
                    continuation.resume(returning: (status >> 8) & 0xff)  // exited
                } else {
                    continuation.resume(returning: 128 + (status & 0x7f))  // killed by a signal
                }
            }
        }
    }

    /// Sets close-on-exec on every open descriptor above standard error, so that
    /// children (and the daemons they leave behind) inherit none of them.
    private static func markDescriptorsCloseOnExec() {
        #if os(Linux)
        let folder = "/proc/self/fd"
        #else
        let folder = "/dev/fd"
        #endif
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 {
                _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            }
        }
    }
}
