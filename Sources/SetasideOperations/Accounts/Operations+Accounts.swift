import Foundation
import HummingbirdBcrypt
import NIOPosix
import SetasideCore
import SetasideStore

/// How a password login ended.
public enum LoginOutcome: Sendable {
    /// A new bearer token (shown once; only its hash is stored) for the account.
    case succeeded(token: String, account: Account)
    /// Wrong login or password (which of the two is not told).
    case failed
    /// Too many failed logins from the address: try again after this many seconds.
    case throttled(retryAfter: Int)
}

extension Operations {
    /// The NOTIFY channel `sql/0010` signals on when accounts, their units or tokens change.
    static let accountChannel = "setaside_accounts"

    /// The account a bearer token belongs to (nil for an unknown or revoked token or a
    /// disabled account); looked up at most every ten seconds per token, and at once
    /// after a change while `followAccountChanges()` runs.
    public func account(bearerToken token: String) async throws -> Account? {
        try await Self.translatingErrors {
            try await accounts.value(for: token, load: { try await store.account(bearerToken: token) })
        }
    }

    /// Forgets every cached account whenever accounts or tokens change, so a disabled
    /// account or a revoked token is refused at once; runs until cancelled, and throws
    /// when its connection fails (the caller listens again: changes may have been missed).
    public func followAccountChanges() async throws {
        try await store.listen(on: Self.accountChannel) { await accounts.removeAll() }
    }

    /// A password login from `address`: a new bearer token when the password matches.
    /// Failures from one address are slowed down (`LoginThrottle`); bcrypt runs on NIO's
    /// thread pool, and an unknown login costs the same bcrypt as a known one, so its
    /// time does not tell which logins exist.
    public func login(_ login: String, password: String, from address: String) async throws -> LoginOutcome {
        // Failures are counted for a login from an address: one office's NAT with a
        // mistyping clerk does not lock out the others behind it.
        let attempt = Self.throttleKey(login: login, address: address)
        if let wait = await throttle.admit(attempt) { return .throttled(retryAfter: wait) }
        var succeeded = false
        defer {
            let (throttle, succeeded) = (throttle, succeeded)
            Task { await throttle.finished(attempt, succeeded: succeeded) }
        }
        // A login that could not be an account's (a control character, too long) is a
        // wrong login, checked against nothing stored but taking as long.
        let possible = login.utf8.count <= 64 && (try? FieldValue.storable(login)) != nil
        let stored = possible ? try await Self.translatingErrors { try await store.passwordLogin(login) } : nil
        let matches = try await NIOThreadPool.singleton.runIfActive {
            Bcrypt.verify(password, hash: stored?.1 ?? Self.unknownLoginHash)
        }
        guard let (account, _) = stored, matches else { return .failed }
        succeeded = true
        let token = try await Self.translatingErrors { try await store.issueToken(login: account.login, actor: account.actor) }
        return .succeeded(token: token, account: account)
    }

    /// What the login throttle counts failures by: the login (in any case) and the address.
    static func throttleKey(login: String, address: String) -> String {
        String(login.lowercased().prefix(64)) + "\u{1F}" + address
    }

    /// Revokes the bearer token `token` (a client logging out); false when it is unknown
    /// or revoked already. This server forgets it at once (a page signed out must not
    /// open with it a moment later); the others when the database's notice reaches them.
    public func logout(token: String) async throws -> Bool {
        let revoked = try await Self.translatingErrors {
            guard let account = try await store.account(bearerToken: token) else { return false }
            return try await store.revokeToken(token, actor: account.actor)
        }
        if revoked { await accounts.removeAll() }
        return revoked
    }

    /// A hash no password is checked against successfully in practice (a random
    /// password, the cost of `addAccount`), so an unknown login takes as long as a wrong
    /// password. Made on first use; `prepareLogins()` makes it ahead.
    static let unknownLoginHash = Bcrypt.hash(UUID().uuidString + UUID().uuidString, cost: passwordCost)

    /// The bcrypt cost of stored passwords.
    static let passwordCost: UInt8 = 12

    /// Makes the dummy hash of unknown logins now, in the background, not on the first login.
    public static func prepareLogins() {
        Task.detached(priority: .background) { _ = unknownLoginHash }
    }

    /// Creates an account; the password is stored as a bcrypt hash.
    public func addAccount(login: String, role: Role, units: [String], region: String?, supervising: String? = nil,
                           password: String, by caller: Caller) async throws -> Account {
        guard password.count >= Account.minimumPasswordLength else { throw AccountError.weakPassword }
        let hash = try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: Self.passwordCost) }
        return try await Self.translatingErrors {
            try await store.addAccount(login: login, role: role, units: units, region: region, supervising: supervising,
                                       passwordHash: hash, actor: caller.actor)
        }
    }

    /// Every account, by login.
    public func accountList() async throws -> [Account] {
        try await Self.translatingErrors { try await store.accounts() }
    }

    /// Disables an account: its tokens stop working at once.
    public func disableAccount(login: String, by caller: Caller) async throws {
        try await Self.translatingErrors { try await store.disableAccount(login: login, actor: caller.actor) }
    }

    /// Issues a new bearer token for the account (shown once).
    public func issueToken(login: String, by caller: Caller) async throws -> String {
        try await Self.translatingErrors { try await store.issueToken(login: login, actor: caller.actor) }
    }

    /// Revokes every token of the account; how many were revoked.
    public func revokeTokens(login: String, by caller: Caller) async throws -> Int {
        try await Self.translatingErrors { try await store.revokeTokens(login: login, actor: caller.actor) }
    }
}
