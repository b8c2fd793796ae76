/// Every stored version of one unit-year's declaration, oldest first. Versions are never
/// edited: declaring other content stores a new one, and a reviewer may return (退回) a
/// version with a reason. The rule of which version counts lives here, once.
public struct DeclarationHistory: Sendable, Hashable {
    public var versions: [DeclarationVersion]

    public init(versions: [DeclarationVersion] = []) {
        self.versions = versions.sorted { $0.version < $1.version }
    }

    /// The latest version, returned or not.
    public var latest: DeclarationVersion? { versions.last }

    /// The version the rules read: the latest one that was not returned.
    public var counted: DeclarationVersion? { versions.last { $0.returned == nil } }

    /// The latest version was sent back: the unit has to declare again.
    public var isReturned: Bool { latest?.returned != nil }

    /// Whether storing `declaration` makes a new version: it does unless the latest
    /// version says the same. A declaration that gives no day is the same as one that
    /// gives the stored day. After a return, a file that says the same does not undo it
    /// (a file is sent again); with `declaringAgain` (a unit's own request, the API's
    /// PUT) the same content is the unit declaring again: a new version.
    public func isNewVersion(_ declaration: Declaration, declaringAgain: Bool = false) -> Bool {
        guard let latest else { return true }
        if declaringAgain, latest.returned != nil { return true }
        var compared = declaration
        if compared.declaredOn == nil { compared.declaredOn = latest.declaration.declaredOn }
        return compared != latest.declaration
    }
}

/// One stored version of a unit-year's declaration.
public struct DeclarationVersion: Sendable, Hashable {
    /// 1, 2, … within the unit-year.
    public var version: Int
    public var declaration: Declaration
    /// When it was stored (ISO 8601, UTC), unknown for versions stored before versions
    /// were kept.
    public var storedAt: String?
    /// Who stored it (`account:LOGIN`, `cli:USER`), when known.
    public var storedBy: String?
    /// Its return, if it was sent back.
    public var returned: DeclarationReturn?

    public init(version: Int, declaration: Declaration, storedAt: String? = nil, storedBy: String? = nil,
                returned: DeclarationReturn? = nil) {
        self.version = version
        self.declaration = declaration
        self.storedAt = storedAt
        self.storedBy = storedBy
        self.returned = returned
    }
}

/// A declaration version sent back by its reviewer (退回), with the reason the unit reads.
public struct DeclarationReturn: Sendable, Hashable {
    public var version: Int
    public var reason: String
    /// Who returned it (`account:LOGIN`, `cli:USER`).
    public var returnedBy: String
    /// When (ISO 8601, UTC).
    public var returnedAt: String

    public init(version: Int, reason: String, returnedBy: String, returnedAt: String) {
        self.version = version
        self.reason = reason
        self.returnedBy = returnedBy
        self.returnedAt = returnedAt
    }

    /// Its JSON object: `{"version": 2, "reason": …, "returnedBy": …, "returnedAt": …}`.
    public var json: String {
        "{\"version\": \(version), \"reason\": \(JSONText.string(reason)), \"returnedBy\": \(JSONText.string(returnedBy)), "
            + "\"returnedAt\": \(JSONText.string(returnedAt))}"
    }
}
