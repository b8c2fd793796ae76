import Logging
import ServiceLifecycle
import SetasideOperations

/// Keeps `Operations.followAccountChanges()` running beside the server, so a disabled
/// account or a revoked token is refused at once rather than when its cache entry
/// expires. When its connection fails, it listens again a second later (the cache is
/// emptied then: changes may have been missed meanwhile).
struct AccountChangeListener: Service {
    let operations: Operations

    func run() async throws {
        while !Task.isCancelledOrShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await operations.followAccountChanges() }
            } catch {
                if Task.isCancelledOrShuttingDownGracefully { break }
                operations.logger.warning("listening for account changes failed: \(error); listening again in 1 s")
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }
}
