import NIOConcurrencyHelpers
import NIOCore

/// The open connections of a server, with which of them are waiting for a request: caps
/// their number and chooses which one gives way to a new one.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// Since when it has waited for a request head; nil while a request is under way.
        var waitingSince: NIODeadline?
    }

    private struct State {
        var nextID = 0
        var entries: [Int: Entry] = [:]
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes `channel` in, and returns its id. At the limit, the connection that has waited
    /// longest for a request is closed to make room; when none is waiting (every one is in
    /// the middle of a request), nil: the caller closes `channel`.
    func admit(_ channel: any Channel) -> Int? {
        let (id, evicted): (Int?, (any Channel)?) = state.withLockedValue { state in
            var evicted: (any Channel)?
            if state.entries.count >= limit {
                var oldest: (id: Int, since: NIODeadline)?
                for (id, entry) in state.entries {
                    if let since = entry.waitingSince, since < (oldest?.since ?? .distantFuture) { oldest = (id, since) }
                }
                guard let oldest else { return (nil, nil) }
                evicted = state.entries.removeValue(forKey: oldest.id)?.channel
            }
            let id = state.nextID
            state.nextID += 1
            state.entries[id] = Entry(channel: channel, waitingSince: .now())
            return (id, evicted)
        }
        evicted?.close(promise: nil)
        return id
    }

    /// Notes whether connection `id` is waiting for a request (between requests) or not.
    func setWaiting(_ id: Int, _ waiting: Bool) {
        state.withLockedValue { state in
            state.entries[id]?.waitingSince = waiting ? .now() : nil
        }
    }

    /// Forgets connection `id` (it closed).
    func remove(_ id: Int) {
        _ = state.withLockedValue { $0.entries.removeValue(forKey: id) }
    }

    /// How many connections are open.
    var count: Int { state.withLockedValue { $0.entries.count } }
}
