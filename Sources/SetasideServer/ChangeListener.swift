import Logging
import ServiceLifecycle
import SetasideOperations

/// Keeps one of the operations' change listeners running beside the server:
/// `followAccountChanges()`, so a disabled account or a revoked token is refused at once
/// rather than when its cache entry expires, and `followReportChanges()`, so a kept
/// report is dropped as soon as anything it is made of changes. When its connection
/// fails, it listens again a second later (each empties its cache on listening again:
/// changes may have been missed meanwhile).
struct ChangeListener: Service {
    /// What is listened for, for the log.
    let subject: String
    let operations: Operations
    let follow: @Sendable () async throws -> Void

    static func accounts(_ operations: Operations) -> ChangeListener {
        ChangeListener(subject: "account changes", operations: operations, follow: operations.followAccountChanges)
    }

    static func reports(_ operations: Operations) -> ChangeListener {
        ChangeListener(subject: "report changes", operations: operations, follow: operations.followReportChanges)
    }

    func run() async throws {
        while !Task.isCancelledOrShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await follow() }
            } catch {
                if Task.isCancelledOrShuttingDownGracefully { break }
                operations.logger.warning("listening for \(subject) failed: \(error); listening again in 1 s")
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }
}
