import Foundation
import SetasideCore
import Testing

/// `setaside demo --output` writes the files as the generator makes them, line by line:
/// the same bytes as the data set held in memory.
@Suite struct DemoOutputTests {
    @Test func theStreamedFilesAreTheDataSetsFiles() async throws {
        try await TestDatabase.withDatabase { url in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("setaside-demo-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = try CLITests.run(["demo", "--units", "40", "--purchases", "900", "--seed", "11", "--output", folder.path], url: url)
            #expect(result.status == 0, "\(result.stderr)")
            let demo = DemoProvince(.init(units: 40, purchases: 900, seed: 11))
            var expected = Dictionary(uniqueKeysWithValues: zip(DemoProvince.DemoFile.imports.map(\.rawValue), demo.files.map(\.csv)))
            expected["declarations-revised"] = demo.revisions
            expected["purchases-later"] = demo.statusUpdates
            for (name, text) in expected {
                let written = try String(contentsOf: folder.appendingPathComponent("\(name).csv"), encoding: .utf8)
                #expect(written == text, "\(name).csv")
            }
            #expect(demo.returns.allSatisfy { result.stdout.contains("setaside declaration return \($0.creditCode)") })
        }
    }
}
