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
                // A seal waiting on a database that has gone away does not hold up a shutdown.
                try await cancelWhenGracefulShutdown { _ = try await operations.sealAuditTrail() }
            } catch where !Task.isCancelledOrShuttingDownGracefully {
                operations.logger.warning("audit sealing failed: \(error)")
            } catch {}
            // A graceful shutdown ends the wait at once, however long the interval.
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        // What is left is sealed now if the database answers, else by the next seal.
        if await operations.databaseAnswers(within: .milliseconds(500)) {
            _ = try? await operations.sealAuditTrail()
        }
    }
}

extension Task where Success == Never, Failure == Never {
    static var isCancelledOrShuttingDownGracefully: Bool { isCancelled || isShuttingDownGracefully }
}
