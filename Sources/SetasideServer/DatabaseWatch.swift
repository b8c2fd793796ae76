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
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
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

    /// Notes what the last question found; wakes the requests waiting for an outage.
    func record(_ answers: Bool) {
        let (woken, changed): ([CheckedContinuation<Void, Never>], Bool) = state.withLockedValue { state in
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
        for waiter in woken { waiter.resume() }
    }

    /// Returns when the database stops answering (at once if it does not now), or when
    /// the task is cancelled.
    func outage() async {
        let id = state.withLockedValue { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Cancelled before it was listed: the handler found nothing to wake.
                let resumeNow = state.withLockedValue { state -> Bool in
                    if !state.answering || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
