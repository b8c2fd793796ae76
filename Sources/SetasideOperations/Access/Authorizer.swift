import SetasideCore
import SetasideStore

/// Applies `AccessPolicy` to an operation: loads where the unit or region sits, and
/// refuses what does not exist (`AccessError.notFound`) and what the account may not
/// touch (`AccessError.forbidden`).
struct Authorizer: Sendable {
    let store: Store
    /// Where units sit in the region tree changes only by import: a minute's cache.
    let ancestries: ExpiringCache<String, [String]>
    /// Each unit's supervising chain (itself first), for inspectors bound to a supervising
    /// unit; changes only by import too.
    let supervisingChains = ExpiringCache<String, [String]>(lifetime: .seconds(60))

    /// Refuses unless `account` may do `action` on the unit. `subject` is what a refusal
    /// names, when the client named something else than the unit (a purchase by id): the
    /// refusal then does not tell which unit the purchase belongs to.
    func require(_ account: Account, _ action: AccessPolicy.Action, unit creditCode: String,
                 subject: String? = nil) async throws {
        let named = subject ?? "unit \(creditCode)"
        guard let ancestry = try await ancestries.value(for: creditCode, load: { try await store.unitAncestry(creditCode) }) else {
            // Unknown and forbidden look alike to a clerk, who learns nothing of other units.
            if account.role == .clerk { throw AccessError.forbidden("\(account.login) may not \(Self.verb(action)) \(named)") }
            throw AccessError.notFound("unit \(creditCode)")
        }
        var chain: [String] = []
        if account.role == .inspector, account.supervising != nil {
            chain = try await supervisingChains.value(for: creditCode, load: { try await store.supervisingChain(creditCode) }) ?? []
        }
        guard AccessPolicy.allows(account, action, unit: creditCode, unitAncestry: ancestry, supervisingChain: chain) else {
            throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not \(Self.verb(action)) \(named)")
        }
    }

    /// Refuses unless `account`'s role may do `action` somewhere; for routes whose body
    /// names what they act on, checked before the body is read.
    func requireRole(_ account: Account, _ action: AccessPolicy.Action) throws {
        guard AccessPolicy.mayEver(account, action) else {
            throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not \(Self.verb(action)) any unit")
        }
    }

    func requireRegion(_ account: Account, _ code: String) async throws {
        guard let ancestry = try await store.regionAncestry(code) else { throw AccessError.notFound("region \(code)") }
        guard AccessPolicy.allowsRegion(account, regionAncestry: ancestry) else {
            throw AccessError.forbidden("\(account.login) (\(account.role.rawValue)) may not inspect region \(code)")
        }
    }

    static func verb(_ action: AccessPolicy.Action) -> String {
        switch action {
        case .read: "read"
        case .writePurchases: "write purchases of"
        case .writeDeclarations: "declare for"
        case .writeLinks: "change the assignments or agreements of"
        case .writeFindings: "record findings on"
        case .reviewDeclarations: "return the declarations of"
        }
    }
}
