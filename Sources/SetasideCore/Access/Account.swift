/// A person or program that uses setaside, with what it is bound to.
public struct Account: Sendable, Hashable {
    public var id: Int64
    public var login: String
    public var role: Role
    /// A clerk's units (credit codes); empty for the other roles.
    public var units: Set<String>
    /// An inspector's region; nil for the other roles.
    public var region: String?
    /// An inspector's supervising unit (主管预算单位): it reads that unit and every unit
    /// below it; nil for the other roles.
    public var supervising: String?
    public var isDisabled: Bool

    public init(id: Int64, login: String, role: Role, units: Set<String> = [], region: String? = nil,
                supervising: String? = nil, isDisabled: Bool = false) {
        self.id = id
        self.login = login
        self.role = role
        self.units = units
        self.region = region
        self.supervising = supervising
        self.isDisabled = isDisabled
    }

    /// How the account is named in the audit trail.
    public var actor: String { "account:\(login)" }
}
