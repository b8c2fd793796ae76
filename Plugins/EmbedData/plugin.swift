import Foundation
import PackagePlugin

/// Generates `EmbeddedData.swift` from the `.csv` tables in the target's `Data/` folder
/// (the 832 export's header aliases…), so that the tables are data files in the package
/// and the binary still carries them, working from any folder.
@main
struct EmbedData: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appendingPathComponent("Sources/\(target.name)/Data")
        let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "csv" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedData.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) data tables",
                executable: try context.tool(named: "EmbedSQLTool").url,
                arguments: [output.path, "--enum", "EmbeddedData"] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            ),
        ]
    }
}
