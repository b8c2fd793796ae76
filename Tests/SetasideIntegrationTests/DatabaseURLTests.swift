@testable import SetasideStore
import Testing

@Suite struct DatabaseURLTests {
    @Test func parsesLibpqURLs() throws {
        let url = try DatabaseURL(parsing: "postgres://clerk:p%40ss@db.example:6543/ledger?sslmode=require")
        #expect(url.user == "clerk" && url.password == "p@ss" && url.host == "db.example")
        #expect(url.port == 6543 && url.database == "ledger" && url.sslMode == .require)
        #expect(!url.redacted.contains("p@ss") && !url.redacted.contains("p%40ss"))
        let short = try DatabaseURL(parsing: "postgresql://clerk@localhost")
        #expect(short.port == 5432 && short.database == "clerk" && short.sslMode == .prefer)
        #expect(try DatabaseURL(parsing: "postgres://u@h/d?sslmode=verify-full").sslMode == .verifyFull)
        #expect(try DatabaseURL(parsing: url.absoluteString) == url)
    }

    @Test func refusesWhatItCannotHonour() {
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "mysql://u@h/d") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://u@h/d?sslmode=sometimes") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://u@h:notaport/d") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://u@h/d?application_name=x") }
    }
}

/// Every session setaside opens runs without JIT (see `DatabaseURL.startupParameters`).
@Suite struct SessionSettingTests {
    @Test func sessionsStartWithJITOff() async throws {
        try await TestDatabase.withStore { store in
            let jit = try await store.client.query("SHOW jit").collect().map { try $0.decode(String.self) }
            #expect(jit == ["off"])
            let role = try await store.client.query("SELECT current_user::text").collect().map { try $0.decode(String.self) }
            #expect(role == [DatabaseRoles.application])
        }
    }
}
