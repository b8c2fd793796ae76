import Foundation
import SetasideCore
import ZIPFoundation

/// Writes sheets as CSV files, one per sheet named after it (`单位.csv`…), into a folder
/// or, when the path ends in `.zip`, into a zip of them. Each file is UTF-8 with a
/// byte-order mark, so that Excel and WPS show the Chinese headers, with CRLF line ends.
public struct CSVSheetWriter: Sendable {
    public init() {}

    /// Whether `path` names a zip rather than a folder.
    public static func isZip(_ path: String) -> Bool { path.lowercased().hasSuffix(".zip") }

    /// Writes `sheets` under `path` (a folder, made when missing; or a `.zip`, replaced).
    /// `progress` is told each sheet's rows written and its rows in all.
    public func write(_ sheets: [Sheet], to path: String,
                      progress: (_ sheet: String, _ done: Int, _ total: Int) -> Void = { _, _, _ in }) throws {
        let files = FileManager.default
        if Self.isZip(path) {
            let archive: Archive
            do {
                archive = try Archive(data: Data(), accessMode: .create)
            } catch {
                throw FileExportError.cannotCreate(path: path, reason: "\(error)")
            }
            for sheet in sheets {
                let data = Self.data(sheet, progress: progress)
                do {
                    try archive.addEntry(with: "\(sheet.name).csv", type: .file, uncompressedSize: Int64(data.count),
                                         compressionMethod: .deflate) { position, size in
                        data.subdata(in: Int(position)..<Int(position) + size)
                    }
                } catch {
                    throw FileExportError.writeFailed(path: path, reason: "\(error)")
                }
            }
            guard let bytes = archive.data else {
                throw FileExportError.writeFailed(path: path, reason: "the zip was not finished")
            }
            try Self.replace(path, with: bytes)
            return
        }
        var isFolder: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw FileExportError.cannotCreate(
                path: path, reason: "a file of that name exists; name a folder (or a path ending in .zip)")
        }
        do {
            try files.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileExportError.cannotCreate(path: path, reason: "\(error.localizedDescription)")
        }
        for sheet in sheets {
            try Self.replace((path as NSString).appendingPathComponent("\(sheet.name).csv"),
                             with: Self.data(sheet, progress: progress))
        }
    }

    /// One sheet's file: the byte-order mark, then its lines ending in CRLF.
    static func data(_ sheet: Sheet, progress: (String, Int, Int) -> Void) -> Data {
        var data = Data([0xEF, 0xBB, 0xBF])
        sheet.csvLines({ line in
            data.append(contentsOf: line.utf8)
            data.append(contentsOf: [0x0D, 0x0A])
        }, progress: { done in
            if done % 500 == 0 { progress(sheet.name, done, sheet.rowCount) }
        })
        progress(sheet.name, sheet.rowCount, sheet.rowCount)
        return data
    }

    /// Writes `data` to `path` whole or not at all.
    static func replace(_ path: String, with data: Data) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FileExportError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}
