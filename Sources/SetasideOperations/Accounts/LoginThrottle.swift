import Foundation

/// Limits password attempts per address: after `free` failures within `window`, each
/// further attempt must wait, doubling up to `maximumWait` seconds.
///
/// An attempt counts from the moment it is admitted: attempts still being checked take
/// up the free ones, so a burst sent at once gets no more tries than the same attempts
/// sent one by one. An attempt beyond them waits (briefly: bcrypt takes a fraction of a
/// second) until one of them finishes, rather than being refused, so that many clerks
/// logging in at once behind one address are slowed, not turned away.
actor LoginThrottle {
    let free: Int
    let window: TimeInterval
    let maximumWait: Int
    private var failures: [String: [Date]] = [:]
    private var checking: [String: Int] = [:]
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]
    private var admittedSincePrune = 0

    init(free: Int = 5, window: TimeInterval = 15 * 60, maximumWait: Int = 300) {
        self.free = free
        self.window = window
        self.maximumWait = maximumWait
    }

    /// Admits an attempt from `address` (then `finished(_:succeeded:)` must follow), or
    /// returns the seconds it must wait before trying again.
    func admit(_ address: String, now: @autoclosure () -> Date = Date()) async -> Int? {
        while true {
            let time = now()
            pruneNowAndThen(time)
            let recent = (failures[address] ?? []).filter { time.timeIntervalSince($0) < window }
            failures[address] = recent.isEmpty ? nil : recent
            let inFlight = checking[address, default: 0]
            if recent.count >= free, let last = recent.last {
                // Over the limit: one attempt at a time, each after a longer wait.
                let wait = min(maximumWait, 1 << min(20, recent.count - free + 1))
                let waited = Int(time.timeIntervalSince(last))
                if waited < wait { return wait - waited }
                if inFlight == 0 { return admitted(address) }
            } else if recent.count + inFlight < free {
                return admitted(address)
            }
            await withCheckedContinuation { waiting[address, default: []].append($0) }
        }
    }

    /// The admitted attempt from `address` is over: a success forgets the address's
    /// failures, a failure is counted.
    func finished(_ address: String, succeeded: Bool, now: Date = Date()) {
        checking[address, default: 1] -= 1
        if checking[address] == 0 { checking[address] = nil }
        if succeeded {
            failures[address] = nil
        } else {
            failures[address, default: []].append(now)
        }
        // Those waiting look again: a success may let them all through, a failure none.
        for waiter in waiting.removeValue(forKey: address) ?? [] { waiter.resume() }
    }

    /// The number of addresses with failures remembered.
    var addressCount: Int { failures.count }

    private func admitted(_ address: String) -> Int? {
        checking[address, default: 0] += 1
        return nil
    }

    /// Forgets addresses whose failures are all older than the window, once every 1 024
    /// admissions, so that many addresses failing once do not grow the table forever.
    private func pruneNowAndThen(_ now: Date) {
        admittedSincePrune += 1
        guard admittedSincePrune >= 1_024 else { return }
        admittedSincePrune = 0
        failures = failures.filter { _, dates in dates.last.map { now.timeIntervalSince($0) < window } ?? false }
    }
}
