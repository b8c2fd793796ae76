/// Why a file for an office could not be written.
public enum FileExportError: Error, CustomStringConvertible, Sendable {
    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            "cannot create \(path): \(reason); check that its folder exists and is writable"
        case .writeFailed(let path, let reason):
            "writing \(path) failed: \(reason); the file is incomplete, delete it and try again"
        }
    }
}
