import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import SetasideOperations

/// Asks the database four times a second whether it answers, apart from the pool. While
/// it does not, requests are answered 503 at once (`DatabaseGateMiddleware`) instead of
/// waiting a minute on the pool, and requests under way are cut off; `/healthz` says so
/// within a second. Kept away from the pool meanwhile, the pool does not pile up
/// back-offs, and serves again as soon as the database does.
final class DatabaseWatch: Service, Sendable {
    private struct State {
        var answering = true
        var nextWaiter = 0
        var waiters: [Int: @Sendable () -> Void] = [:]
    }

    let operations: Operations
    let interval: Duration
    let timeout: Duration
    private let state = NIOLockedValueBox(State())

    init(operations: Operations, interval: Duration = .milliseconds(250), timeout: Duration = .milliseconds(750)) {
        self.operations = operations
        self.interval = interval
        self.timeout = timeout
    }

    /// Whether the database answered when last asked.
    var isAnswering: Bool { state.withLockedValue { $0.answering } }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let answers = await self.operations.databaseAnswers(within: self.timeout)
                self.record(answers)
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Notes what the last question found; tells the requests under way of an outage.
    func record(_ answers: Bool) {
        let (woken, changed): ([@Sendable () -> Void], Bool) = state.withLockedValue { state in
            let changed = state.answering != answers
            state.answering = answers
            guard !answers else { return ([], changed) }
            defer { state.waiters = [:] }
            return (Array(state.waiters.values), changed)
        }
        if changed {
            if answers { operations.logger.notice("the database answers again") }
            else { operations.logger.error("the database does not answer") }
        }
        for waiter in woken { waiter() }
    }

    /// Calls `action` once if the database stops answering, unless `forget` comes first;
    /// nil (and no call) when it does not answer now.
    func onOutage(_ action: @escaping @Sendable () -> Void) -> Int? {
        state.withLockedValue { state in
            guard state.answering else { return nil }
            defer { state.nextWaiter += 1 }
            state.waiters[state.nextWaiter] = action
            return state.nextWaiter
        }
    }

    /// Drops the action `onOutage` listed as `id`.
    func forget(_ id: Int) {
        _ = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
    }
}
