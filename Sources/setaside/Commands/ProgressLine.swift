import Foundation
import SetasideCore

/// A progress line on standard error, rewritten in place: what is being done, how far
/// it is, and the time left at the pace so far. Shown only when standard error is a
/// terminal and not asked to be quiet; at most ten times a second. Its state is
/// guarded by a lock, so that work running elsewhere may report to it.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastDrawn = Date.distantPast
    private var drawn = false
    private var lastRowsRead = 0

    init(quiet: Bool = false) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Shows `label`: `done` of `total` rows, and the time left for the rest.
    func update(_ label: String, done: Int, total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let start = started[label] ?? now
        started[label] = start
        guard done >= total || now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = now
        var text = "\(label): \(Self.grouped(done)) / \(Self.grouped(total)) rows"
        let elapsed = now.timeIntervalSince(start)
        if done > 0, done < total, elapsed > 0.5 {
            text += ", about \(Self.duration(elapsed * Double(total - done) / Double(done))) left"
        }
        draw(text)
    }

    /// Shows how far an import has got: the rows read, checked and stored, the rate of
    /// reading, and the time left to read the rest of the file at that rate; then the
    /// stage of checking against what is stored, and of storing.
    func update(_ progress: ImportProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        // A file read again (the rows counted from 0 again) starts the pace afresh.
        if progress.rowsRead < lastRowsRead { started["import"] = nil }
        lastRowsRead = progress.rowsRead
        let start = started["import"] ?? now
        started["import"] = start
        let reading = progress.stage == .reading
        guard !reading || now.timeIntervalSince(lastDrawn) >= 0.1 else { return }
        lastDrawn = now
        let elapsed = now.timeIntervalSince(start)
        // A partly refunded order is two purchases of one row: "checked" counts no more rows than were read.
        var text = "\(Self.grouped(progress.rowsRead)) rows read, \(Self.grouped(min(progress.rowsChecked, progress.rowsRead))) checked, "
            + "\(Self.grouped(progress.rowsStored)) stored"
        switch progress.stage {
        case .reading:
            if elapsed > 0.5 {
                text += ", \(Self.grouped(Int(Double(progress.rowsRead) / elapsed))) rows/s"
                let position = progress.position
                if position.done > 0, position.done < position.total {
                    text += ", about \(Self.duration(elapsed * Double(position.total - position.done) / Double(position.done))) left"
                }
            }
        case .checking: text += "; checking against what is stored…"
        case .storing: text += "; storing…"
        }
        draw(text)
    }

    /// Shows a step that has no count (computing the figures).
    func step(_ text: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        draw(text + "…")
    }

    /// Clears the line, so that the summary that follows starts on a clean line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard enabled, drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        drawn = true
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(" ") }
            out.append(character)
        }
        return out
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole) s" : "\(whole / 60) min \(whole % 60) s"
    }
}
