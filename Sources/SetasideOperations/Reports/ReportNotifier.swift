import Logging
import SetasideStore

/// Tells every server that reports changed after this process wrote purchases, one notice
/// per burst: the first write after a quiet spell schedules a NOTIFY on the report
/// channel `delay` later, and the writes meanwhile ride on it. A notice per purchase
/// would make every commit wait on PostgreSQL's notify lock (see `sql/0025`); this costs
/// a few tiny transactions a second under any write load, and another server sees a
/// purchase `delay` after it committed.
actor ReportNotifier {
    let store: Store
    let channel: String
    let delay: Duration
    private var pending: Task<Void, Never>?

    init(store: Store, channel: String, delay: Duration = .milliseconds(100)) {
        self.store = store
        self.channel = channel
        self.delay = delay
    }

    /// Something committed: a notice goes out within `delay`.
    func signal() {
        guard pending == nil else { return }
        pending = Task {
            do { try await Task.sleep(for: delay) } catch { return }   // flushed meanwhile
            await send()
        }
    }

    /// Sends the notice now if one is waiting (a command-line run, before it closes its
    /// connections).
    func flush() async {
        guard let waiting = pending else { return }
        waiting.cancel()
        await send()
    }

    private func send() async {
        // A write signalled from here on needs a notice after this one.
        pending = nil
        do {
            try await store.notify(channel)
        } catch {
            store.logger.warning("could not tell other servers that reports changed: \(error); their kept reports expire within five minutes")
        }
    }
}
