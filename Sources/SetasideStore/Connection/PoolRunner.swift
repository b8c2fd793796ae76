import PostgresNIO
import Synchronization

/// Runs a pool's `run()` so that cancelling it ends within a bound.
///
/// PostgresNIO's `PostgresClient.run()` has been seen never to return after it was
/// cancelled once a connection had been killed under it (a session ended by the server,
/// a database stopped): the test suite then stalled with nothing running, and a server
/// whose database was stopped ended only by the lifecycle's fatal error. Here the
/// caller waits for the pool to close for at most `grace` after cancelling it, and goes
/// on; a pool still closing is left to finish (or not) on its own.
enum PoolRunner {
    static func run(_ client: PostgresClient, grace: Duration = .seconds(2)) async {
        let runner = Task { await client.run() }
        let wait = OneShot()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                wait.arm(continuation)
                Task {
                    await runner.value
                    wait.fire()
                }
            }
        } onCancel: {
            runner.cancel()
            Task {
                try? await Task.sleep(for: grace)
                wait.fire()
            }
        }
    }

    /// A continuation resumed by whichever of its two causes comes first (the pool ended,
    /// the grace ran out); the later one does nothing. Either may come before `arm`.
    final class OneShot: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Void, Never>?
            var fired = false
        }
        private let state = Mutex(State())

        func arm(_ continuation: CheckedContinuation<Void, Never>) {
            let resumeNow = state.withLock { state -> Bool in
                if state.fired { return true }
                state.continuation = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }

        func fire() {
            let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.fired { return nil }
                state.fired = true
                defer { state.continuation = nil }
                return state.continuation
            }
            continuation?.resume()
        }
    }
}
