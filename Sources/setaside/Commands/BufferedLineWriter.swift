import Foundation

/// Writes lines to a file through a buffer of about a megabyte. A write that fails is
/// kept and reported by `close()`, so that a generator calling `write` need not handle it
/// on every line.
final class BufferedLineWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer = Data()
    private var failure: Error?

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw OutputFileError("cannot create \(path): check that its folder is writable")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        guard failure == nil, !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            failure = error
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file; throws the first write that failed.
    func close() throws {
        flush()
        try handle.close()
        if let failure { throw OutputFileError("writing \(path) failed: \(failure.localizedDescription)") }
    }
}

/// A file of the output could not be written; the text says which and why.
struct OutputFileError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
