import Logging
import PostgresNIO
import ServiceLifecycle
import SetasideCore
import SetasideStore

/// Listens for the notices `sql/0010` sends when accounts, their units or their tokens
/// change, and empties the server's account cache on each, so a disabled account or a
/// revoked token is refused at once rather than when its cache entry expires.
///
/// It holds one connection of the pool. When that connection fails, it listens again a
/// second later and empties the cache first: changes may have been missed meanwhile.
struct AccountChangeListener: Service {
    let store: Store
    let accounts: ExpiringCache<String, Account>
    static let channel = "setaside_accounts"

    func run() async throws {
        while !Task.isCancelledOrShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await store.client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notices in
                            await accounts.removeAll()
                            for try await _ in notices { await accounts.removeAll() }
                        }
                    }
                }
            } catch {
                if Task.isCancelledOrShuttingDownGracefully { break }
                store.logger.warning("listening for account changes failed: \(error); listening again in 1 s")
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }
}
