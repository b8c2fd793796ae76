import SetasideCore

extension Operations {
    /// Refuses unless `caller` may do `action` on the unit. `subject` is what a refusal
    /// names when the caller named something else than the unit (a purchase by id).
    public func authorize(_ caller: Caller, _ action: AccessPolicy.Action, unit creditCode: String,
                          subject: String? = nil) async throws {
        guard case .account(let account) = caller else { return }
        try await Self.translatingErrors {
            try await authorizer.require(account, action, unit: creditCode, subject: subject)
        }
    }

    /// Refuses unless `caller`'s role may do `action` on some unit: for an edge to decide
    /// before it reads a body that names what the operation acts on.
    public func authorizeRole(_ caller: Caller, _ action: AccessPolicy.Action) throws {
        guard case .account(let account) = caller else { return }
        try authorizer.requireRole(account, action)
    }

    /// Refuses unless `caller` may read or inspect the region as a whole.
    public func authorizeRegion(_ caller: Caller, _ code: String) async throws {
        guard case .account(let account) = caller else { return }
        try await Self.translatingErrors { try await authorizer.requireRegion(account, code) }
    }
}
