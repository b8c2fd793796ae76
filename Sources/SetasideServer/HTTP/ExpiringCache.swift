import Foundation

/// A small in-memory cache whose entries expire after `lifetime`: the server keeps
/// token → account and unit → region ancestry for a few seconds, so a busy client
/// does not pay those lookups on every request. A revoked token or a disabled account
/// therefore stops working within `lifetime`.
actor ExpiringCache<Key: Hashable & Sendable, Value: Sendable> {
    private var entries: [Key: (value: Value, expires: ContinuousClock.Instant)] = [:]
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The cached value, or the one `load` finds (nil values are not cached).
    func value(for key: Key, load: @Sendable () async throws -> Value?) async rethrows -> Value? {
        let now = ContinuousClock.now
        if let entry = entries[key], entry.expires > now { return entry.value }
        guard let value = try await load() else {
            entries[key] = nil
            return nil
        }
        if entries.count >= capacity { entries = entries.filter { $0.value.expires > now } }
        if entries.count >= capacity { entries.removeAll() }
        entries[key] = (value, now + lifetime)
        return value
    }
}
