import PostgresNIO
@testable import SetasideStore
import Testing

/// A session the server ends inside a transaction: the transaction gives up at once
/// instead of sending ROLLBACK on the closing connection, which PostgresNIO could leave
/// waiting for ever (one run in four of this test stalled the suite before the fix).
@Suite struct EndedSessionTests {
    /// Which of two tasks ends first.
    actor Race {
        private var decided = false
        func claim() -> Bool {
            defer { decided = true }
            return !decided
        }
    }

    /// Whether `body` ends within `seconds`; a body that never ends is left behind.
    static func finishes(within seconds: Int, _ body: @escaping @Sendable () async -> Void) async -> Bool {
        let race = Race()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Task {
                await body()
                if await race.claim() { continuation.resume(returning: true) }
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                if await race.claim() { continuation.resume(returning: false) }
            }
        }
    }

    /// Each attempt on a store (a pool) of its own: a pool that hands the ended
    /// connection to the next transaction before it has seen it close is another case,
    /// not covered here (docs/design.md).
    @Test func aTransactionWhoseSessionIsEndedGivesUpAtOnce() async throws {
        try await TestDatabase.withDatabase { url in
            for attempt in 1...8 {
                let ended = await Self.finishes(within: 10) {
                    do {
                        try await Store.withStore(url: url, logger: TestDatabase.logger) { store in
                            let error = await StoreErrorTests.wrapped(store, "SELECT pg_terminate_backend(pg_backend_pid())")
                            guard case .connectionLost? = error else {
                                Issue.record("attempt \(attempt): a terminated session is not a lost connection")
                                return
                            }
                        }
                    } catch {
                        Issue.record("attempt \(attempt): \(error)")
                    }
                }
                #expect(ended, "attempt \(attempt) did not end within 10 s")
                if !ended { return }
            }
        }
    }
}
