import Foundation

/// Counts login attempts per address: after `free` failures within `window`, each
/// further attempt must wait, doubling up to `maximumWait` seconds.
///
/// An attempt is counted when it is admitted, before its password is checked, and
/// ``succeeded(_:)`` takes the count back: a burst of attempts sent at once gets no more
/// tries than the same attempts sent one by one.
actor LoginThrottle {
    let free: Int
    let window: TimeInterval
    let maximumWait: Int
    private var attempts: [String: [Date]] = [:]
    private var admittedSincePrune = 0

    init(free: Int = 5, window: TimeInterval = 15 * 60, maximumWait: Int = 300) {
        self.free = free
        self.window = window
        self.maximumWait = maximumWait
    }

    /// Admits an attempt from `address` and counts it, or returns the seconds it must
    /// wait (and counts nothing).
    func admit(_ address: String, now: Date = Date()) -> Int? {
        pruneNowAndThen(now)
        let recent = (attempts[address] ?? []).filter { now.timeIntervalSince($0) < window }
        if recent.count >= free, let last = recent.last {
            let wait = min(maximumWait, 1 << min(20, recent.count - free + 1))
            let waited = Int(now.timeIntervalSince(last))
            if waited < wait {
                attempts[address] = recent
                return wait - waited
            }
        }
        attempts[address] = recent + [now]
        return nil
    }

    /// The attempt from `address` succeeded: its failures are forgotten.
    func succeeded(_ address: String) {
        attempts[address] = nil
    }

    /// The number of addresses with attempts remembered.
    var addressCount: Int { attempts.count }

    /// Forgets addresses whose attempts are all older than the window, once every 1 024
    /// admissions, so that many addresses trying once do not grow the table forever.
    private func pruneNowAndThen(_ now: Date) {
        admittedSincePrune += 1
        guard admittedSincePrune >= 1_024 else { return }
        admittedSincePrune = 0
        attempts = attempts.filter { _, dates in dates.last.map { now.timeIntervalSince($0) < window } ?? false }
    }
}
