import Foundation

/// A small in-memory cache whose entries expire after `lifetime`: the server keeps
/// token → account and unit → region ancestry for a few seconds, so a busy client
/// does not pay those lookups on every request. An entry is at most `lifetime` old;
/// `removeAll()` forgets them all at once (the account cache, when accounts change).
///
/// Callers that miss the same key together share one lookup: when an entry expires
/// under load, the database sees one query, not one per waiting request.
///
/// A cache made `keeping: false` keeps nothing (every lookup loads) until `keep(true)`:
/// the report cache keeps reports only while a listener hears every change.
actor ExpiringCache<Key: Hashable & Sendable, Value: Sendable> {
    private var entries: [Key: (value: Value, expires: ContinuousClock.Instant)] = [:]
    private var loading: [Key: Task<Value?, any Error>] = [:]
    /// Bumped by `removeAll`: a lookup started before it does not store what it found.
    private var generation = 0
    private var keeping: Bool
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration, capacity: Int = 10_000, keeping: Bool = true) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.keeping = keeping
    }

    /// The cached value, or the one `load` finds (nil values are not cached).
    func value(for key: Key, load: @escaping @Sendable () async throws -> Value?) async throws -> Value? {
        guard keeping else { return try await load() }
        if let entry = entries[key], entry.expires > ContinuousClock.now { return entry.value }
        if let pending = loading[key] { return try await pending.value }
        let task = Task { try await load() }
        let started = generation
        loading[key] = task
        defer { if generation == started { loading[key] = nil } }
        guard let value = try await task.value else {
            entries[key] = nil
            return nil
        }
        // What changed meanwhile may not be in `value`: answer with it, but do not keep it.
        guard generation == started else { return value }
        let now = ContinuousClock.now
        if entries.count >= capacity { entries = entries.filter { $0.value.expires > now } }
        if entries.count >= capacity { entries.removeAll() }
        entries[key] = (value, now + lifetime)
        return value
    }

    /// Forgets every entry, and what lookups in progress will find.
    func removeAll() {
        generation += 1
        entries.removeAll()
        loading.removeAll()
    }

    /// Starts or stops keeping values; stopping forgets them all.
    func keep(_ keeping: Bool) {
        if !keeping { removeAll() }
        self.keeping = keeping
    }
}
