import Logging
import ServiceLifecycle
import SetasideOperations

/// Seals the audit trail many times a second (small batches keep the work smooth), so entries written by the API are
/// chained soon after they commit.
struct AuditSealer: Service {
    let operations: Operations
    var interval: Duration = .milliseconds(50)

    func run() async throws {
        while !Task.isCancelledOrShuttingDownGracefully {
            do {
                try await operations.sealAuditTrail()
            } catch {
                operations.logger.warning("audit sealing failed: \(error)")
            }
            // A graceful shutdown ends the wait at once, however long the interval.
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        _ = try? await operations.sealAuditTrail()
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDownGracefully: Bool { isCancelled || isShuttingDownGracefully }
}
