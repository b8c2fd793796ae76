#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import SetasideEmbedded
@testable import SetasideStore
import Testing

/// `setaside db start|stop|status` on a cluster of its own, in a folder of its own.
@Suite(.serialized) struct EmbeddedClusterTests {
    @Test func startsServesAndStopsItsOwnCluster() async throws {
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("setaside-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A folder the test owns; the cluster picks the first free port from 54320 up. The
        // caller's environment is not read: SETASIDE_HOME (which scripts/lib.sh sets for a
        // checkout under /root) would make this the shared cluster of every other test.
        let cluster = EmbeddedCluster(workingDirectory: folder, environment: [:])
        #expect(try await cluster.status() == .notInitialised)
        let url = try await cluster.start()
        do {
            #expect(url.host == "127.0.0.1")
            let again = try await cluster.start()   // already running: same URL, no second server
            #expect(again == url)
            guard case .running = try await cluster.status() else {
                Issue.record("the cluster does not report itself running")
                return
            }
            let logger = TestDatabase.logger
            let user = try await Store.withStore(url: url, logger: logger) { store in
                var name = ""
                for try await user in try await store.client.query("SELECT current_user").decode(String.self) { name = user }
                return name
            }
            #expect(user == EmbeddedCluster.userName)
            // Commands find it through the working folder when DATABASE_URL is not set, and
            // log in as the application role (migrate as the owner), each with its password.
            let located = try DatabaseLocator.resolve(environment: [:], workingDirectory: folder)
            #expect(located.user == DatabaseRoles.application && located.port == url.port)
            let owner = try DatabaseLocator.resolve(environment: [:], workingDirectory: folder, login: .owner)
            #expect(owner.user == DatabaseRoles.owner)
            #expect(Set([url.password, located.password, owner.password]).count == 3)
            for login in [located, owner] {
                let name = try await Store.withStore(url: login, logger: logger) { store in
                    try await store.client.query("SELECT current_user::text").collect().first?.decode(String.self)
                }
                #expect(name == login.user)
            }
            // A second start keeps the roles and their passwords.
            _ = try await cluster.start()
            #expect(try cluster.url(for: .application) == located)
        } catch {
            try? await cluster.stop()
            throw error
        }
        try await cluster.stop()
        guard case .stopped = try await cluster.status() else {
            Issue.record("the cluster does not report itself stopped")
            return
        }
        #expect(throws: (any Error).self) { try DatabaseLocator.resolve(environment: [:], workingDirectory: folder) }
    }

    #if canImport(Glibc)
    @Test func aPortTakenSinceTheClusterChoseItMovesToAFreeOneUnlessItWasAskedFor() async throws {
        let folder = URL(fileURLWithPath: "/tmp").appendingPathComponent("setaside-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cluster = EmbeddedCluster(workingDirectory: folder, environment: [:])
        let first = try await cluster.start()
        try await cluster.stop()
        // Another program (another checkout's tests, say) listens on the port meanwhile.
        let squatter = try #require(LocalPortTests.boundSocket(first.port, reuse: true))
        defer { close(squatter.fd) }
        #expect(listen(squatter.fd, 1) == 0)
        // A port SETASIDE_DB_PORT asks for is not second-guessed: the start is refused.
        let asked = EmbeddedCluster(workingDirectory: folder, environment: [EmbeddedCluster.portVariable: String(first.port)])
        await #expect(throws: EmbeddedClusterError.self) { _ = try await asked.start() }
        // A port setaside chose moves to a free one.
        let moved = try await cluster.start()
        #expect(moved.port != first.port)
        try await cluster.stop()
    }
    #endif
}
