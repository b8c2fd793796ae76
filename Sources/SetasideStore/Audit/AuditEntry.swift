/// One write, as the audit trail records it.
public struct AuditEntry: Sendable {
    /// `account:LOGIN` for the API, `cli:USER` for the command line.
    public var actor: String
    /// What was done, e.g. `purchase.create`, `declaration.put`, `import.units`.
    public var action: String
    /// The kind of thing written (`purchase`, `declaration`, `account`…).
    public var entity: String
    /// Which one: its id or key.
    public var entityKey: String
    /// The unit concerned, if any, so a unit's trail can be listed.
    public var creditCode: String?
    /// The thing before and after, as JSON text; nil where it did not exist.
    public var before: String?
    public var after: String?

    public init(actor: String, action: String, entity: String, entityKey: String, creditCode: String? = nil,
                before: String? = nil, after: String? = nil) {
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityKey = entityKey
        self.creditCode = creditCode
        self.before = before
        self.after = after
    }
}
