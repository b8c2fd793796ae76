import Logging
import ServiceLifecycle
import SetasideStore

/// Seals the audit trail many times a second (small batches keep the work smooth), so entries written by the API are
/// chained soon after they commit.
struct AuditSealer: Service {
    let store: Store
    var interval: Duration = .milliseconds(50)

    func run() async throws {
        let trail = AuditTrail(store: store)
        while !Task.isCancelledOrShuttingDownGracefully {
            do {
                try await trail.seal()
            } catch {
                store.logger.warning("audit sealing failed: \(error)")
            }
            // A graceful shutdown ends the wait at once, however long the interval.
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        _ = try? await trail.seal()
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDownGracefully: Bool { isCancelled || isShuttingDownGracefully }
}
