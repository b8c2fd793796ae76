/// Why a PostgreSQL connection URL could not be understood.
public enum DatabaseURLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text does not start with `postgres://` or `postgresql://`.
    case unsupportedScheme(String)
    /// The URL names no host.
    case missingHost
    /// The URL names no user.
    case missingUser
    /// The port is not a number from 1 to 65535.
    case invalidPort(String)
    /// A `%` escape is malformed or decodes to invalid UTF-8 (the part is named, the password not shown).
    case invalidPercentEncoding(String)
    /// `sslmode` has a value setaside does not support.
    case unsupportedSSLMode(String)
    /// A query parameter other than `sslmode`.
    case unsupportedParameter(String)
    /// A query parameter is not of the form `name=value`.
    case malformedParameter(String)

    public var description: String {
        switch self {
        case .unsupportedScheme(let text):
            return "'\(text)' is not a PostgreSQL URL: write it as postgres://user:password@host:5432/database?sslmode=disable"
        case .missingHost:
            return "the database URL names no host: write it as postgres://user:password@host:5432/database"
        case .missingUser:
            return "the database URL names no user: write it as postgres://user:password@host:5432/database"
        case .invalidPort(let port):
            return "the database URL has port '\(port)': use a number from 1 to 65535, or leave it out for 5432"
        case .invalidPercentEncoding(let part):
            return "the database URL has a bad %-escape in \(part): escape special characters as %XX (e.g. '@' as %40, ':' as %3A)"
        case .unsupportedSSLMode(let mode):
            return "the database URL has sslmode=\(mode): use disable, prefer, require, verify-ca or verify-full"
        case .unsupportedParameter(let name):
            return "the database URL has the parameter '\(name)', which setaside does not support: only sslmode is understood"
        case .malformedParameter(let text):
            return "the database URL has the parameter '\(text)': write parameters as name=value, e.g. ?sslmode=disable"
        }
    }
}
