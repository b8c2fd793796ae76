/// An account that cannot be made as asked.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    case clerkWithoutUnits
    case inspectorWithoutRegion
    /// The role takes no binding of this kind.
    case bindingNotForRole(Role, Binding)
    case invalidLogin(String)
    case weakPassword

    public var description: String {
        switch self {
        case .clerkWithoutUnits: "a clerk works for at least one unit: name its units"
        case .inspectorWithoutRegion: "an inspector is bound to a region or a supervising unit: name one"
        case .bindingNotForRole(let role, let binding): "a \(role.rawValue) takes no \(binding.rawValue)"
        case .invalidLogin(let login): "'\(login)' is not a login: use 1 to 64 letters, digits, '.', '_', '@' or '-'"
        case .weakPassword: "the password must have at least 10 characters"
        }
    }
}

extension AccountError {
    /// What an account may be bound to.
    public enum Binding: String, Sendable {
        case units, region
        case supervising = "supervising unit"
    }
}

extension Account {
    /// Checks that a role comes with the bindings it needs and no others.
    public static func validate(login: String, role: Role, units: [String], region: String?,
                                supervising: String? = nil) throws(AccountError) {
        let allowed = login.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._@-".unicodeScalars.contains($0)
        }
        guard allowed, (1...64).contains(login.count) else { throw .invalidLogin(login) }
        switch role {
        case .clerk:
            if units.isEmpty { throw .clerkWithoutUnits }
            if region != nil { throw .bindingNotForRole(role, .region) }
            if supervising != nil { throw .bindingNotForRole(role, .supervising) }
        case .inspector:
            if region == nil && supervising == nil { throw .inspectorWithoutRegion }
            if !units.isEmpty { throw .bindingNotForRole(role, .units) }
        case .admin:
            if region != nil { throw .bindingNotForRole(role, .region) }
            if supervising != nil { throw .bindingNotForRole(role, .supervising) }
            if !units.isEmpty { throw .bindingNotForRole(role, .units) }
        }
    }

    /// Passwords shorter than this are refused.
    public static let minimumPasswordLength = 10
}
