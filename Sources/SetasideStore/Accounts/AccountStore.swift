import PostgresNIO
import SetasideCore

extension Store {
    /// Creates an account with a bcrypt password hash, in one transaction with its audit entry.
    public func addAccount(login: String, role: Role, units: [String], region: String?, supervising: String? = nil,
                           passwordHash: String, actor: String) async throws -> Account {
        try Account.validate(login: login, role: role, units: units, region: region, supervising: supervising)
        return try await transaction { connection in
            let existing = try await connection.query("SELECT 1 FROM accounts WHERE login = \(login)", logger: logger)
            if try await !existing.collect().isEmpty { throw StoreError.conflict("an account \(login) exists already") }
            if let region {
                let found = try await connection.query("SELECT 1 FROM regions WHERE code = \(region)", logger: logger)
                if try await found.collect().isEmpty { throw StoreError.notFound("region \(region)") }
            }
            for unit in units + [supervising].compactMap({ $0 }) {
                let found = try await connection.query("SELECT 1 FROM units WHERE credit_code = \(unit)", logger: logger)
                if try await found.collect().isEmpty { throw StoreError.notFound("unit \(unit)") }
            }
            var id: Int64 = 0
            let rows = try await connection.query("""
                INSERT INTO accounts (login, role, region_code, supervising_code, password_hash)
                VALUES (\(login), \(role.rawValue), \(region), \(supervising), \(passwordHash)) RETURNING id
                """, logger: logger)
            for try await value in rows.decode(Int64.self) { id = value }
            try await connection.query("""
                INSERT INTO account_units (account_id, credit_code) SELECT \(id), unnest(\(units)::text[])
                """, logger: logger)
            let account = Account(id: id, login: login, role: role, units: Set(units), region: region, supervising: supervising)
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "account.add", entity: "account", entityKey: login,
                after: Self.json(account)), on: connection, logger: logger)
            return account
        }
    }

    /// Every account, by login.
    public func accounts() async throws -> [Account] {
        try await loadAccounts(where: "TRUE")
    }

    /// The account of `login`, or nil.
    public func account(login: String) async throws -> Account? {
        try await loadAccounts(where: "a.login = $1", login).first
    }

    /// The account a bearer token belongs to: nil for an unknown or revoked token or a
    /// disabled account.
    public func account(bearerToken token: String) async throws -> Account? {
        try await loadAccounts(where: """
            a.disabled_at IS NULL AND a.id IN (
                SELECT account_id FROM api_tokens
                WHERE token_hash = encode(digest($1, 'sha256'), 'hex') AND revoked_at IS NULL)
            """, token).first
    }

    /// The account of `login` with its password hash, for a password login; nil when
    /// there is none or it is disabled.
    public func passwordLogin(_ login: String) async throws -> (Account, String)? {
        guard let account = try await account(login: login), !account.isDisabled else { return nil }
        let rows = try await client.query("SELECT password_hash FROM accounts WHERE id = \(account.id)", logger: logger)
        for try await hash in rows.decode(String.self) { return (account, hash) }
        return nil
    }

    /// Disables an account and revokes its tokens.
    public func disableAccount(login: String, actor: String) async throws {
        try await transaction { connection in
            let rows = try await connection.query("""
                UPDATE accounts SET disabled_at = now() WHERE login = \(login) AND disabled_at IS NULL RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).first(where: { _ in true }) else {
                throw StoreError.notFound("an enabled account \(login)")
            }
            try await connection.query("UPDATE api_tokens SET revoked_at = now() WHERE account_id = \(id) AND revoked_at IS NULL",
                                       logger: logger)
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "account.disable", entity: "account", entityKey: login,
                before: #"{"disabled": false}"#, after: #"{"disabled": true}"#), on: connection, logger: logger)
        }
    }

    /// Revokes one bearer token (a client logging out, or a token known to have leaked);
    /// false when it is unknown or already revoked.
    public func revokeToken(_ token: String, actor: String) async throws -> Bool {
        try await transaction { connection in
            let rows = try await connection.query("""
                UPDATE api_tokens SET revoked_at = now()
                WHERE token_hash = encode(digest(\(token), 'sha256'), 'hex') AND revoked_at IS NULL
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).first(where: { _ in true }) else { return false }
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "token.revoke", entity: "token", entityKey: String(id),
                before: #"{"revoked": false}"#, after: #"{"revoked": true}"#), on: connection, logger: logger)
            return true
        }
    }

    /// Revokes every token of `login` and keeps the account enabled; the number revoked.
    public func revokeTokens(login: String, actor: String) async throws -> Int {
        try await transaction { connection in
            guard try await connection.query("SELECT 1 FROM accounts WHERE login = \(login)", logger: logger)
                .collect().count == 1 else { throw StoreError.notFound("account \(login)") }
            let rows = try await connection.query("""
                UPDATE api_tokens t SET revoked_at = now() FROM accounts a
                WHERE a.login = \(login) AND t.account_id = a.id AND t.revoked_at IS NULL
                RETURNING t.id
                """, logger: logger)
            var ids: [Int64] = []
            for try await id in rows.decode(Int64.self) { ids.append(id) }
            if !ids.isEmpty {
                try await AuditTrail.append(AuditEntry(
                    actor: actor, action: "token.revoke", entity: "account", entityKey: login,
                    after: "{\"revokedTokens\": [\(ids.map(String.init).joined(separator: ", "))]}"), on: connection, logger: logger)
            }
            return ids.count
        }
    }

    /// Issues a new bearer token for `login` and returns it; only its hash is stored.
    public func issueToken(login: String, actor: String) async throws -> String {
        var random = SystemRandomNumberGenerator()
        let token = "sa_" + (0..<4).map { _ in
            let word = String(random.next(), radix: 16)
            return String(repeating: "0", count: 16 - word.count) + word
        }.joined()
        try await transaction { connection in
            let rows = try await connection.query("""
                INSERT INTO api_tokens (account_id, token_hash)
                SELECT id, encode(digest(\(token), 'sha256'), 'hex') FROM accounts
                WHERE login = \(login) AND disabled_at IS NULL
                RETURNING id
                """, logger: logger)
            guard let id = try await rows.decode(Int64.self).first(where: { _ in true }) else {
                throw StoreError.notFound("an enabled account \(login)")
            }
            try await AuditTrail.append(AuditEntry(
                actor: actor, action: "token.issue", entity: "token", entityKey: String(id),
                after: "{\"login\": \(Self.jsonString(login))}"), on: connection, logger: logger)
        }
        return token
    }

    private func loadAccounts(where condition: String, _ argument: String? = nil) async throws -> [Account] {
        var bindings = PostgresBindings()
        if let argument { bindings.append(argument) }
        let rows = try await client.query(PostgresQuery(unsafeSQL: """
            SELECT a.id, a.login, a.role, a.region_code, a.supervising_code, a.disabled_at IS NOT NULL,
                   coalesce(array_agg(u.credit_code ORDER BY u.credit_code) FILTER (WHERE u.credit_code IS NOT NULL), '{}')
            FROM accounts a LEFT JOIN account_units u ON u.account_id = a.id
            WHERE \(condition)
            GROUP BY a.id ORDER BY a.login
            """, binds: bindings), logger: logger)
        var accounts: [Account] = []
        for try await (id, login, role, region, supervising, disabled, units)
            in rows.decode((Int64, String, String, String?, String?, Bool, [String]).self) {
            guard let role = Role(rawValue: role) else { throw StoreError.corruptData("account \(login) has role \(role)") }
            accounts.append(Account(id: id, login: login, role: role, units: Set(units), region: region,
                                    supervising: supervising, isDisabled: disabled))
        }
        return accounts
    }

    static func json(_ account: Account) -> String {
        let units = account.units.sorted().map(jsonString).joined(separator: ", ")
        return "{\"login\": \(jsonString(account.login)), \"role\": \(jsonString(account.role.rawValue)), "
            + "\"region\": \(account.region.map(jsonString) ?? "null"), "
            + "\"supervising\": \(account.supervising.map(jsonString) ?? "null"), \"units\": [\(units)]}"
    }

    static func jsonString(_ text: String) -> String { JSONText.string(text) }
}
