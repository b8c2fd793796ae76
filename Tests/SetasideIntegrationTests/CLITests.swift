import Foundation
import SetasideCore
@testable import SetasideStore
import Testing

/// The `setaside` binary, run as a user would, against a fresh database.
@Suite struct CLITests {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("setaside")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/setaside")
    }

    /// Runs the binary (or `executable`) with `arguments`, the database `url` in its
    /// environment, in `folder`.
    static func run(_ arguments: [String], url: DatabaseURL, in folder: URL? = nil, input: String? = nil,
                    executable: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = url.absoluteString
        process.environment = environment
        if let folder { process.currentDirectoryURL = folder }
        let out = Pipe(), err = Pipe(), stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func write(_ files: [(ImportKind, String)]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (kind, csv) in files {
            try Data(csv.utf8).write(to: folder.appendingPathComponent("\(kind.rawValue).csv"))
        }
        return folder
    }

    @Test func importThenReportAsJSON() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try Self.write(Fixtures.all)
            defer { try? FileManager.default.removeItem(at: folder) }
            for (kind, _) in Fixtures.all {
                // From a folder with no checkout: the binary carries its migrations and packs.
                let result = try Self.run(["import", kind.rawValue, "\(kind.rawValue).csv"], url: url, in: folder)
                #expect(result.status == 0, "\(kind): \(result.stderr)")
            }
            let again = try Self.run(["import", "purchases", folder.appendingPathComponent("purchases.csv").path], url: url)
            #expect(again.stdout.contains("16 rows, 0 stored, 16 already stored unchanged"))

            let report = try Self.run(["report", "compliance", "--year", "2024", "--as-of", "2025-03-01", "--format", "json"], url: url)
            #expect(report.status == 0)
            let units = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
            #expect((units?["units"] as? [Any])?.count == 3)
            #expect(report.stdout.hasPrefix("{\"year\": 2024, \"units\": ["))

            let table = try Self.run(["report", "compliance", "--year", "2024", "--as-of", "2025-03-01"], url: url)
            #expect(table.status == 0)   // units fall short, and that is not an error
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.first?.contains("3 units, 2 fall short") == true)
            // Units that fall short come first; the unit that meets everything it owes comes last.
            let firstUnitLine = lines.first { $0.hasPrefix("12") }
            #expect(firstUnitLine?.contains(Fixtures.unitA) == true)
            #expect(table.stdout.contains("食堂食材预留份额"))
            // The declarations' states: C has none, A's was imported after the deadline.
            #expect(table.stdout.contains("\(Fixtures.unitC) declaration 2024: missing (deadline 2024-02-20)"))
            #expect(table.stdout.contains("\(Fixtures.unitA) declaration 2024: late (deadline 2024-02-20)"))

            let csv = try Self.run(["report", "compliance", "--year", "2024", "--as-of", "2025-03-01", "--format", "csv",
                                    "--unit", Fixtures.unitB], url: url)
            let rows = csv.stdout.split(separator: "\n")
            #expect(rows.count == 3)
            #expect(rows.first?.hasPrefix("year,credit_code,name,region,rule,rule_name,pack,status,base,required,actual,"
                                          + "shortfall,ratio,projection,strength,") == true)
            // B's festival rule is encouraged, and its declaration late.
            #expect(rows.last?.contains("union-festivals") == true && rows.last?.contains(",encouraged,2,,,late,2024-02-20,") == true)
        }
    }

    @Test func aBadFileFailsWithEveryRowNamedAndStoresNothing() async throws {
        try await TestDatabase.withDatabase { url in
            let bad = Fixtures.regions.replacingOccurrences(of: "140602,朔城区,county,140600,false",
                                                            with: "14060X,朔城区,county,140600,maybe")
            let folder = try Self.write([(.regions, bad)])
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try Self.run(["import", "regions", folder.appendingPathComponent("regions.csv").path], url: url)
            #expect(result.status != 0)
            #expect(result.stderr.contains("line 5, code"))
            #expect(result.stderr.contains("line 5, poverty_relieved"))
            #expect(result.stderr.contains("nothing was stored"))
            let list = try Self.run(["report", "compliance", "--year", "2024", "--as-of", "2025-03-01", "--format", "json"], url: url)
            #expect(list.stdout.contains("\"units\": []"))
        }
    }

    /// `import` says when it read a file as GB18030, refuses a UTF-8 file with a broken
    /// character (naming the line and byte, storing nothing), and --encoding forces one.
    @Test func importSaysWhichEncodingItReadAndRefusesBrokenUTF8() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = try Self.write([])
            defer { try? FileManager.default.removeItem(at: folder) }
            let gbk = folder.appendingPathComponent("regions-gbk.csv"), broken = folder.appendingPathComponent("regions-broken.csv")
            // 山西省 in GBK: C9 BD CE F7 CA A1; in UTF-8 with the last byte of 省 lost.
            try Data(Array("code,name,level,parent_code,poverty_relieved\n140000,".utf8) + [0xC9, 0xBD, 0xCE, 0xF7, 0xCA, 0xA1]
                     + Array(",province,100000,false\n".utf8)).write(to: gbk)
            try Data(Array("code,name,level,parent_code,poverty_relieved\n140000,山西".utf8) + Array("省".utf8).dropLast()
                     + Array(",province,100000,false\n".utf8)).write(to: broken)
            let refused = try Self.run(["import", "regions", broken.path], url: url)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("line 2, byte 14: not UTF-8"), "\(refused.stderr)")
            let forcedUTF8 = try Self.run(["import", "regions", gbk.path, "--encoding", "utf-8"], url: url)
            #expect(forcedUTF8.status != 0 && forcedUTF8.stderr.contains("not UTF-8"), "\(forcedUTF8.stderr)")
            let badName = try Self.run(["import", "regions", gbk.path, "--encoding", "latin1"], url: url)
            #expect(badName.status != 0)
            let found = try Self.run(["import", "regions", gbk.path], url: url)
            #expect(found.status == 0, "\(found.stderr)")
            #expect(found.stdout.contains("(read as gb18030)"), "\(found.stdout)")
            let forcedGB = try Self.run(["import", "regions", gbk.path, "--encoding", "GBK"], url: url)
            #expect(forcedGB.status == 0 && forcedGB.stdout.contains("1 already stored unchanged"), "\(forcedGB.stdout)")
        }
    }

    @Test func theBinaryMigratesAnEmptyDatabaseFromAnyFolder() async throws {
        try await TestDatabase.withDatabase(migrated: false) { url in
            let elsewhere = FileManager.default.temporaryDirectory
            let before = try Self.run(["policy", "list"], url: url, in: elsewhere)
            #expect(before.status != 0)
            #expect(before.stderr.contains("setaside migrate"))
            let first = try Self.run(["migrate"], url: url, in: elsewhere)
            #expect(first.status == 0)
            #expect(first.stdout.contains("0004_policy_packs.sql"))
            let second = try Self.run(["migrate"], url: url, in: elsewhere)
            #expect(second.stdout.contains("up to date"))
            let list = try Self.run(["policy", "list"], url: url, in: elsewhere)
            #expect(list.stdout.contains("pinglu-2022"))
        }
    }

    @Test func policiesAreListedAndShown() async throws {
        try await TestDatabase.withDatabase { url in
            let list = try Self.run(["policy", "list"], url: url)
            for pack in ["national-baseline", "pinglu-2022", "yuxi-2022-2024", "dali-2022-2024"] {
                #expect(list.stdout.contains(pack))
            }
            let show = try Self.run(["policy", "show", "pinglu-2022"], url: url)
            #expect(show.stdout.contains("threshold: 20.00%"))
            #expect(show.stdout.contains("minimum: 20000.00 yuan a year"))
            let unknown = try Self.run(["policy", "show", "atlantis"], url: url)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no policy pack atlantis"))
        }
    }

    @Test func badOptionsAreRefusedWithAReason() async throws {
        try await TestDatabase.withDatabase { url in
            let year = try Self.run(["report", "compliance", "--year", "24"], url: url)
            #expect(year.status != 0 && year.stderr.contains("--year 24"))
            let unit = try Self.run(["report", "compliance", "--year", "2024", "--unit", "ABC"], url: url)
            #expect(unit.status != 0)
        }
    }
}
