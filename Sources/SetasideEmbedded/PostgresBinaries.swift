import Foundation

/// Where PostgreSQL's server and client programs are installed.
///
/// Found through `pg_config --bindir`; when that is missing or points at a folder
/// without `initdb` (only the client library installed), the newest
/// `/usr/lib/postgresql/<version>/bin` that has one is used (Debian's layout).
struct PostgresBinaries: Sendable {
    /// The folder holding `initdb`, `pg_ctl`, `psql`, …
    let directory: URL

    var initdb: URL { directory.appendingPathComponent("initdb") }
    var pgCtl: URL { directory.appendingPathComponent("pg_ctl") }
    var psql: URL { directory.appendingPathComponent("psql") }
    var createdb: URL { directory.appendingPathComponent("createdb") }

    /// Finds the programs, or fails telling the user what to install.
    static func locate(runner: CommandRunner) async throws(EmbeddedClusterError) -> PostgresBinaries {
        var searched: [String] = []
        if let pgConfig = CommandRunner.findExecutable("pg_config") {
            let outcome = try await runner.run(pgConfig, ["--bindir"])
            let bindir = outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if outcome.succeeded, !bindir.isEmpty {
                searched.append(bindir)
                if let found = usable(URL(fileURLWithPath: bindir)) { return found }
            }
        }
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .compactMap { name in Double(name).map { (name, $0) } }
            .sorted { $0.1 > $1.1 }
        for (name, _) in versions {
            let bindir = root.appendingPathComponent(name).appendingPathComponent("bin")
            searched.append(bindir.path)
            if let found = usable(bindir) { return found }
        }
        throw .postgresNotInstalled(searched: searched)
    }

    private static func usable(_ bindir: URL) -> PostgresBinaries? {
        let candidate = PostgresBinaries(directory: bindir)
        let needed = [candidate.initdb, candidate.pgCtl, candidate.psql]
        guard needed.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0.path) }) else { return nil }
        return candidate
    }
}
