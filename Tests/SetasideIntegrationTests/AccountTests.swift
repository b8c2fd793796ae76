import Foundation
import PostgresNIO
import SetasideCore
@testable import SetasideStore
import Testing

@Suite struct AccountTests {
    @Test func tokensResolveToTheirAccountUntilItIsDisabled() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, Array(Fixtures.all.prefix(2)))
            let clerk = try await store.addAccount(login: "wang", role: .clerk, units: [Fixtures.unitA], region: nil,
                                                   passwordHash: "x", actor: "cli:tests")
            #expect(clerk.units == [Fixtures.unitA])
            let token = try await store.issueToken(login: "wang", actor: "cli:tests")
            #expect(token.hasPrefix("sa_") && token.count == 67)
            let found = try await store.account(bearerToken: token)
            #expect(found?.login == "wang")
            let unknown = try await store.account(bearerToken: "sa_" + String(repeating: "0", count: 64))
            #expect(unknown == nil)
            // Only the hash is stored.
            let stored = try await store.client.query("""
                SELECT count(*) FILTER (WHERE token_hash = \(token))::bigint,
                       count(*) FILTER (WHERE token_hash = encode(digest(\(token), 'sha256'), 'hex'))::bigint
                FROM api_tokens
                """).collect().map { try $0.decode((Int, Int).self) }
            #expect(stored.count == 1)
            #expect(stored.first?.0 == 0 && stored.first?.1 == 1)

            // Revoking every token keeps the account: a new token works.
            let second = try await store.issueToken(login: "wang", actor: "cli:tests")
            #expect(try await store.revokeTokens(login: "wang", actor: "cli:tests") == 2)
            #expect(try await store.account(bearerToken: token) == nil)
            #expect(try await store.account(bearerToken: second) == nil)
            #expect(try await store.revokeTokens(login: "wang", actor: "cli:tests") == 0)
            await #expect(throws: StoreError.self) { try await store.revokeTokens(login: "nobody", actor: "cli:tests") }
            let third = try await store.issueToken(login: "wang", actor: "cli:tests")
            #expect(try await store.account(bearerToken: third)?.login == "wang")
            #expect(try await store.revokeToken(third, actor: "cli:tests"))
            #expect(try await !store.revokeToken(third, actor: "cli:tests"))

            try await store.disableAccount(login: "wang", actor: "cli:tests")
            let afterDisable = try await store.account(bearerToken: token)
            #expect(afterDisable == nil)
            await #expect(throws: StoreError.self) { try await store.issueToken(login: "wang", actor: "cli:tests") }
        }
    }

    @Test func rolesNeedTheirBindingsAndLoginsAreUnique() async throws {
        try await TestDatabase.withStore { store in
            _ = try await ImportTests.load(store, Array(Fixtures.all.prefix(2)))
            await #expect(throws: AccountError.clerkWithoutUnits) {
                try await store.addAccount(login: "a", role: .clerk, units: [], region: nil, passwordHash: "x", actor: "t")
            }
            await #expect(throws: AccountError.inspectorWithoutRegion) {
                try await store.addAccount(login: "b", role: .inspector, units: [], region: nil, passwordHash: "x", actor: "t")
            }
            await #expect(throws: StoreError.self) {
                try await store.addAccount(login: "c", role: .inspector, units: [], region: "999999", passwordHash: "x", actor: "t")
            }
            _ = try await store.addAccount(login: "li", role: .inspector, units: [], region: "140600", passwordHash: "x", actor: "t")
            await #expect(throws: StoreError.self) {
                try await store.addAccount(login: "li", role: .admin, units: [], region: nil, passwordHash: "x", actor: "t")
            }
            let accounts = try await store.accounts()
            #expect(accounts.map(\.login) == ["li"])
        }
    }

    @Test func theCommandLineMakesAnAccountAndPrintsATokenLast() async throws {
        try await TestDatabase.withDatabase { url in
            try await Store.withStore(url: url, logger: TestDatabase.logger) { store in
                _ = try await ImportTests.load(store, Array(Fixtures.all.prefix(2)))
            }
            let added = try CLITests.run(["account", "add", "zhao", "--role", "clerk", "--unit", Fixtures.unitB],
                                         url: url, input: "correct horse battery\n")
            #expect(added.status == 0, "\(added.stderr)")
            let short = try CLITests.run(["account", "add", "qian", "--role", "admin"], url: url, input: "short\n")
            #expect(short.status != 0 && short.stderr.contains("at least 10"))
            let token = try CLITests.run(["account", "token", "zhao"], url: url)
            let last = token.stdout.split(separator: "\n").last.map(String.init) ?? ""
            let account = try await Store.withStore(url: url, logger: TestDatabase.logger) { store in
                try await store.account(bearerToken: last)
            }
            #expect(account?.login == "zhao")
            let list = try CLITests.run(["account", "list"], url: url)
            #expect(list.stdout.contains("zhao") && list.stdout.contains(Fixtures.unitB))
            let verify = try CLITests.run(["audit", "verify"], url: url)
            #expect(verify.status == 0, "\(verify.stdout)")
            let log = try CLITests.run(["audit", "log"], url: url)
            #expect(log.stdout.contains("account.add") && log.stdout.contains("token.issue"))
        }
    }
}
