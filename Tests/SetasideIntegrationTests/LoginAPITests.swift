import Foundation
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import SetasideCore
@testable import SetasideServer
@testable import SetasideStore
import Testing

/// `POST /api/v1/session` end to end: a password login over HTTP, and the throttle of
/// failed logins (five free failures per address, then 429 with Retry-After).
@Suite struct LoginAPITests {
    static let password = "correct horse battery"

    /// An account `login` (a clerk of unit A) whose password is `password`, hashed with
    /// bcrypt by pgcrypto (cost 4, to keep the test quick).
    static func addAccount(_ store: Store, login: String) async throws {
        let hash = try await store.client.query("SELECT crypt(\(Self.password), gen_salt('bf', 4))")
            .collect().map { try $0.decode(String.self) }
        _ = try await store.addAccount(login: login, role: .clerk, units: [Fixtures.unitA], region: nil,
                                       passwordHash: try #require(hash.first), actor: "cli:tests")
    }

    static func body(_ login: String, _ password: String) -> String {
        "{\"login\": \(JSONText.string(login)), \"password\": \(JSONText.string(password))}"
    }

    static func login(_ client: some TestClientProtocol, _ login: String, _ password: String) async throws -> APIResponse {
        try await client.call(.post, "/api/v1/session", token: nil, body: body(login, password))
    }

    @Test func aCorrectPasswordGetsATokenThatWorksAndAWrongOneIs401() async throws {
        try await APIWorld.with { _, client, store in
            try await Self.addAccount(store, login: "zhou")
            let good = try await Self.login(client, "zhou", Self.password)
            #expect(good.status == 201, "\(good.text)")
            #expect(good.object["login"] as? String == "zhou")
            #expect(good.object["role"] as? String == "clerk")
            let token = try #require(good.object["token"] as? String)
            #expect(token.hasPrefix("sa_") && token.count == 67)
            // The token is the account's: it reads unit A, and is refused unit B.
            let unitA = try await client.call(.get, "/api/v1/units/\(Fixtures.unitA)", token: token)
            #expect(unitA.status == 200)
            let unitB = try await client.call(.get, "/api/v1/units/\(Fixtures.unitB)", token: token)
            #expect(unitB.status == 403)
            #expect(try await store.account(bearerToken: token)?.login == "zhou")

            // A wrong password and an unknown login get the same 401, and no token.
            let wrong = try await Self.login(client, "zhou", "correct horse battery!")
            #expect(wrong.status == 401)
            #expect(wrong.object["type"] as? String == "urn:setaside:problem:login-failed")
            #expect(wrong.object["token"] == nil)
            let unknown = try await Self.login(client, "nobody", Self.password)
            #expect(unknown.status == 401)
            #expect(unknown.object["type"] as? String == "urn:setaside:problem:login-failed")
            #expect(unknown.object["detail"] as? String == wrong.object["detail"] as? String)
            // A disabled account cannot log in, with its right password.
            try await store.disableAccount(login: "zhou", actor: "cli:tests")
            let disabled = try await Self.login(client, "zhou", Self.password)
            #expect(disabled.status == 401)
            // The only token issued is the one of the successful login.
            let issued = try await store.client.query("""
                SELECT count(*)::bigint FROM api_tokens t JOIN accounts a ON a.id = t.account_id WHERE a.login = 'zhou'
                """).collect().map { try $0.decode(Int.self) }
            #expect(issued == [1])
        }
    }

    @Test func repeatedFailuresAre429WithRetryAfterEvenForTheRightPassword() async throws {
        try await APIWorld.with { _, client, store in
            try await Self.addAccount(store, login: "zhou")
            for n in 1...5 {
                let wrong = try await Self.login(client, "zhou", "guess \(n)")
                #expect(wrong.status == 401, "attempt \(n): \(wrong.text)")
                #expect(wrong.headers[.retryAfter] == nil)
            }
            // The sixth attempt, right away: refused before the password is checked.
            let throttled = try await Self.login(client, "zhou", "guess 6")
            #expect(throttled.status == 429)
            #expect(throttled.headers[.contentType] == "application/problem+json")
            #expect(throttled.object["type"] as? String == "urn:setaside:problem:too-many-logins")
            let retryAfter = try #require(throttled.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...2).contains(retryAfter))   // the first wait is 2 s
            // The right password is refused too while the wait lasts.
            let right = try await Self.login(client, "zhou", Self.password)
            #expect(right.status == 429)
            #expect(right.headers[.retryAfter] != nil)
            #expect(right.object["token"] == nil)
            // Once the wait is over, the right password gets through.
            try await Task.sleep(for: .seconds(retryAfter) + .milliseconds(200))
            let later = try await Self.login(client, "zhou", Self.password)
            #expect(later.status == 201, "\(later.text)")
        }
    }

    @Test func aSuccessForgetsTheFailuresBeforeIt() async throws {
        try await APIWorld.with { _, client, store in
            try await Self.addAccount(store, login: "zhou")
            for n in 1...4 { #expect(try await Self.login(client, "zhou", "guess \(n)").status == 401) }
            #expect(try await Self.login(client, "zhou", Self.password).status == 201)
            // Had the four failures been kept, the fifth below would be the ninth, and the
            // throttle would answer 429 after the first of these.
            for n in 5...9 {
                let wrong = try await Self.login(client, "zhou", "guess \(n)")
                #expect(wrong.status == 401, "attempt \(n): \(wrong.text)")
            }
            // Five failures since the success: the next attempt waits.
            let throttled = try await Self.login(client, "zhou", Self.password)
            #expect(throttled.status == 429)
            #expect(throttled.headers[.retryAfter] != nil)
        }
    }

    /// Failures are counted for a login and an address together: a clerk who mistypes
    /// behind an office's NAT does not lock out the others behind it.
    @Test func oneAccountsFailuresDoNotLockOutAnotherBehindTheSameAddress() async throws {
        try await APIWorld.with { _, client, store in
            try await Self.addAccount(store, login: "zhou")
            try await Self.addAccount(store, login: "wang")
            for n in 1...5 { #expect(try await Self.login(client, "zhou", "guess \(n)").status == 401) }
            #expect(try await Self.login(client, "ZHOU", "guess 6").status == 429)   // the login in any case
            let other = try await Self.login(client, "wang", Self.password)
            #expect(other.status == 201, "\(other.text)")
        }
    }

    /// A login with a NUL or another control character is a wrong login (401), not a
    /// database error.
    @Test func aLoginWithAControlCharacterIsAWrongLogin() async throws {
        try await APIWorld.with { _, client, store in
            try await Self.addAccount(store, login: "zhou")
            for login in ["zhou\u{0}", "\u{0}", "zh\tou", String(repeating: "z", count: 500)] {
                let refused = try await Self.login(client, login, Self.password)
                #expect(refused.status == 401, "\(login.debugDescription): \(refused.text)")
                #expect(refused.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
