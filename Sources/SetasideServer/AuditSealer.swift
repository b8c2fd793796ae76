import Logging
import ServiceLifecycle
import SetasideStore

/// Seals the audit trail a few times a second, so entries written by the API are
/// chained soon after they commit.
struct AuditSealer: Service {
    let store: Store
    var interval: Duration = .milliseconds(250)

    func run() async throws {
        let trail = AuditTrail(store: store)
        while !Task.isCancelledOrShuttingDownGracefully {
            do {
                try await trail.seal()
            } catch {
                store.logger.warning("audit sealing failed: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
        _ = try? await trail.seal()
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDownGracefully: Bool { isCancelled || isShuttingDownGracefully }
}
