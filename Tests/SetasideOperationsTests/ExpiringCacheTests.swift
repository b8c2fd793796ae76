import Synchronization
@testable import SetasideOperations
import Testing

@Suite struct ExpiringCacheTests {
    /// Counts the lookups a cache makes.
    final class Lookups: Sendable {
        let count = Mutex(0)
        func load(_ value: String?) async throws -> String? {
            count.withLock { $0 += 1 }
            try await Task.sleep(for: .milliseconds(50))
            return value
        }
    }

    @Test func requestsThatMissTogetherShareOneLookup() async throws {
        let cache = ExpiringCache<String, String>(lifetime: .seconds(60))
        let lookups = Lookups()
        let values = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<50 { group.addTask { try await cache.value(for: "token", load: { try await lookups.load("alice") }) } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(values == Array(repeating: "alice", count: 50))
        #expect(lookups.count.withLock { $0 } == 1)
        // Cached now: no further lookup.
        #expect(try await cache.value(for: "token", load: { try await lookups.load("bob") }) == "alice")
        #expect(lookups.count.withLock { $0 } == 1)
    }

    @Test func anEntryExpiresAndNilIsNotKept() async throws {
        let cache = ExpiringCache<String, String>(lifetime: .milliseconds(100))
        let lookups = Lookups()
        #expect(try await cache.value(for: "k", load: { try await lookups.load(nil) }) == nil)
        #expect(try await cache.value(for: "k", load: { try await lookups.load("v1") }) == "v1")
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await cache.value(for: "k", load: { try await lookups.load("v2") }) == "v2")
        #expect(lookups.count.withLock { $0 } == 3)
    }

    @Test func aCacheNotKeepingLoadsEveryTimeUntilToldToKeep() async throws {
        let cache = ExpiringCache<String, String>(lifetime: .seconds(60), keeping: false)
        let lookups = Lookups()
        #expect(try await cache.value(for: "k", load: { try await lookups.load("v1") }) == "v1")
        #expect(try await cache.value(for: "k", load: { try await lookups.load("v2") }) == "v2")
        await cache.keep(true)
        #expect(try await cache.value(for: "k", load: { try await lookups.load("v3") }) == "v3")
        #expect(try await cache.value(for: "k", load: { try await lookups.load("v4") }) == "v3")
        // Stopping forgets what was kept.
        await cache.keep(false)
        await cache.keep(true)
        #expect(try await cache.value(for: "k", load: { try await lookups.load("v5") }) == "v5")
        #expect(lookups.count.withLock { $0 } == 4)
    }

    @Test func aLookupStartedBeforeRemoveAllIsNotKept() async throws {
        let cache = ExpiringCache<String, String>(lifetime: .seconds(60))
        let lookups = Lookups()
        // A lookup in progress when the data changes answers its caller, but is not kept.
        async let stale = cache.value(for: "k", load: { try await lookups.load("before") })
        try await Task.sleep(for: .milliseconds(10))
        await cache.removeAll()
        #expect(try await stale == "before")
        #expect(try await cache.value(for: "k", load: { try await lookups.load("after") }) == "after")
        #expect(lookups.count.withLock { $0 } == 2)
    }

    @Test func aFailedLookupIsNotKept() async throws {
        struct Down: Error {}
        let cache = ExpiringCache<String, String>(lifetime: .seconds(60))
        await #expect(throws: Down.self) { try await cache.value(for: "k", load: { throw Down() }) }
        #expect(try await cache.value(for: "k", load: { "back" }) == "back")
    }
}
