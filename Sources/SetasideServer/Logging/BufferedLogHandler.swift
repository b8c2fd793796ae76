#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import Synchronization

/// Where the server's log lines go: a buffer that a background thread writes out every
/// few milliseconds, so a request never waits on the terminal, a pipe or a disk that is
/// busy writing back. Lines are kept in order; past `capacity` bytes waiting, new lines
/// are counted and dropped rather than slowing requests down, and the count is logged.
public final class LogSink: Sendable {
    private struct State {
        var pending: [UInt8] = []
        var dropped = 0
        var closed = false
        /// Lines wait without being written (for tests of what is kept).
        var paused = false
    }

    private let state = Mutex(State())
    private let done = Mutex(false)
    private let descriptor: Int32
    public let capacity: Int

    /// A sink writing to `descriptor` (standard error by default).
    public convenience init(descriptor: Int32 = 2, capacity: Int = 8 << 20) {
        self.init(descriptor: descriptor, capacity: capacity, paused: false)
    }

    init(descriptor: Int32, capacity: Int, paused: Bool) {
        self.descriptor = descriptor
        self.capacity = capacity
        state.withLock { $0.paused = paused }
        let thread = Thread { [self] in self.drain() }
        thread.name = "setaside-log"
        thread.start()
    }

    /// Queues one line (with its newline).
    public func append(_ line: String) {
        state.withLock { state in
            if state.pending.count + line.utf8.count > capacity {
                state.dropped += 1
            } else {
                state.pending.append(contentsOf: line.utf8)
            }
        }
    }

    /// Writes what is queued and stops the writer; later lines are dropped.
    public func close() {
        state.withLock { $0.closed = true; $0.paused = false }
        while !done.withLock({ $0 }) { usleep(1_000) }
    }

    private func drain() {
        while true {
            let (bytes, dropped, closed) = state.withLock { state in
                if state.paused { return ([UInt8](), 0, false) }
                defer { state.pending.removeAll(keepingCapacity: true); state.dropped = 0 }
                return (state.pending, state.dropped, state.closed)
            }
            write(bytes)
            if dropped > 0 { write(Array("\(dropped) log lines dropped: the log could not be written fast enough\n".utf8)) }
            if closed { break }
            if bytes.isEmpty { usleep(10_000) }
        }
        done.withLock { $0 = true }
    }

    private func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return   // nowhere to report it: the log itself is what failed
            }
            offset += written
        }
    }
}

/// A `LogHandler` that formats each line as the standard stream handler does
/// (`time level label: key=value … [source] message`) and hands it to a `LogSink`.
public struct BufferedLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let label: String
    let sink: LogSink

    public init(label: String, sink: LogSink) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let explicit = event.metadata { all.merge(explicit) { $1 } }
        if let error = event.error { all["error"] = .string("\(error)") }
        var line = Self.timestamp() + " \(event.level) \(label):"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)\n"
        sink.append(line)
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
