import Foundation
import PackagePlugin

/// Generates `EmbeddedData.swift` from the target's data files, so that they are files in
/// the package and the binary still carries them, working from any folder: the `.csv`
/// tables of its `Data/` folder (the 832 export's header aliases…), and the page
/// templates, stylesheet and catalogues under its `Pages/` folder (`.mustache`, `.css`,
/// `.js`, `.catalogue`). Each is named by its file name, which must be unique.
@main
struct EmbedData: BuildToolPlugin {
    static let kinds: Set<String> = ["csv", "mustache", "css", "js", "catalogue"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL.appendingPathComponent("Sources/\(target.name)")
        var files: [URL] = []
        for folder in ["Data", "Pages"] {
            let top = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: top, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where Self.kinds.contains(url.pathExtension) {
                // The tables of `Data/` are CSV only; Swift files under `Pages/` are code.
                if folder == "Data", url.pathExtension != "csv" { continue }
                files.append(url)
            }
        }
        files.sort { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedData.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) data files",
                executable: try context.tool(named: "EmbedSQLTool").url,
                arguments: [output.path, "--enum", "EmbeddedData"] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            ),
        ]
    }
}
