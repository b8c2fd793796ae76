import Foundation
import NIOSSL
import PostgresNIO

/// Where and how to reach a PostgreSQL database, parsed from libpq's URL form
/// `postgres://user:password@host:port/database?sslmode=disable`.
///
/// The port defaults to 5432, the database to the user name and `sslmode` to
/// `prefer`. User, password and database may be %-encoded. Its `description` hides
/// the password; use ``absoluteString`` where the full URL is needed.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// How to use TLS, as libpq's `sslmode`.
    public enum SSLMode: String, Sendable, Equatable, CaseIterable {
        /// Never use TLS.
        case disable
        /// Use TLS if the server offers it.
        case prefer
        /// Fail unless the server speaks TLS; as in libpq, the certificate is not checked.
        case require
        /// TLS, and the certificate must chain to a trusted root.
        case verifyCA = "verify-ca"
        /// TLS, a trusted certificate, and its name must match the host.
        case verifyFull = "verify-full"
    }

    /// The user to log in as.
    public var user: String
    /// The password, if any.
    public var password: String?
    /// The host name or IP address (without brackets for IPv6).
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The database to open.
    public var database: String
    /// How to use TLS.
    public var sslMode: SSLMode
    /// The role each connection acts as from its start (PostgreSQL's `role` setting, sent
    /// with the login), when it is not the user: how a superuser's URL serves as the
    /// application role. Not part of the URL's text.
    public var role: String?

    /// Creates a URL from its parts.
    public init(
        user: String, password: String?, host: String, port: Int = 5432,
        database: String? = nil, sslMode: SSLMode = .prefer
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database ?? user
        self.sslMode = sslMode
    }

    /// Parses `postgres://` or `postgresql://` URLs.
    ///
    /// - Throws: ``DatabaseURLError`` naming what is wrong.
    public init(parsing text: String) throws(DatabaseURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var rest: Substring
        if let r = Self.dropPrefix("postgresql://", of: trimmed) {
            rest = r
        } else if let r = Self.dropPrefix("postgres://", of: trimmed) {
            rest = r
        } else {
            throw .unsupportedScheme(Self.redactGuess(trimmed))
        }

        // Split off the query, then the path.
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        // The authority: [user[:password]@]host[:port]. A raw '@' in the password
        // is tolerated by splitting at the last one.
        var userInfo: Substring?
        var hostPort = rest
        if let at = rest.lastIndex(of: "@") {
            userInfo = rest[..<at]
            hostPort = rest[rest.index(after: at)...]
        }

        var user = ""
        var password: String?
        if let userInfo {
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.percentDecoded(userInfo[..<colon])
                password = try Self.percentDecoded(
                    userInfo[userInfo.index(after: colon)...], describedAs: "the password")
            } else {
                user = try Self.percentDecoded(userInfo)
            }
        }
        guard !user.isEmpty else { throw .missingUser }

        var host: String
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw .missingHost }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw .invalidPort(String(after))
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = String(hostPort)
        }
        host = try Self.percentDecoded(Substring(host))
        guard !host.isEmpty else { throw .missingHost }

        var port = 5432
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw .invalidPort(String(portText))
            }
            port = p
        }

        var database = try Self.percentDecoded(path)
        if database.isEmpty { database = user }

        var sslMode = SSLMode.prefer
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            guard let eq = pair.firstIndex(of: "=") else { throw .malformedParameter(String(pair)) }
            let name = try Self.percentDecoded(pair[..<eq])
            let value = try Self.percentDecoded(pair[pair.index(after: eq)...])
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else { throw .unsupportedSSLMode(value) }
                sslMode = mode
            default:
                throw .unsupportedParameter(name)
            }
        }

        self.init(user: user, password: password, host: host, port: port, database: database, sslMode: sslMode)
    }

    /// The full URL, password included, in a form libpq (`psql`) and ``init(parsing:)`` accept.
    public var absoluteString: String {
        render(password: password.map(Self.percentEncoded))
    }

    /// The URL with the password shown as `***`, safe for logs and messages.
    public var redacted: String {
        render(password: password == nil ? nil : "***")
    }

    /// The redacted URL (see ``redacted``).
    public var description: String { redacted }

    /// The same server and credentials, with another database.
    public func withDatabase(_ name: String) -> DatabaseURL {
        var copy = self
        copy.database = name
        return copy
    }

    /// The same URL, its connections acting as `role` (see ``role``).
    public func acting(as role: String?) -> DatabaseURL {
        var copy = self
        copy.role = role
        return copy
    }

    /// The startup parameters of every connection: JIT off (Debian's PostgreSQL 15 has
    /// it on; it spent 1.8 s compiling the import's reversal checks, and the report's
    /// aggregate of a million purchases ran in 2.9-3.1 s without it against 3.5-4.5 s with
    /// it: docs/design.md), and acting as ``role`` when one is set.
    var startupParameters: [(String, String)] {
        [("jit", "off")] + (role.map { [("role", $0)] } ?? [])
    }

    /// A PostgresNIO client configuration for this URL.
    ///
    /// As in libpq, `prefer` and `require` encrypt without checking the certificate;
    /// `verify-ca` checks it against the system's trust roots and `verify-full` also
    /// checks the host name.
    public func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch tlsSettings() {
        case nil: .disable
        case let (settings, required)?: required ? .require(settings) : .prefer(settings)
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// What `sslmode` asks of TLS: nil for none; else the settings (certificates checked
    /// for verify-ca and verify-full) and whether a server without TLS is refused.
    func tlsSettings() -> (settings: TLSConfiguration, required: Bool)? {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return nil
        case .prefer, .require: settings.certificateVerification = .none
        case .verifyCA: settings.certificateVerification = .noHostnameVerification
        case .verifyFull: break
        }
        return (settings, sslMode != .prefer)
    }

    // MARK: - Rendering and decoding

    private func render(password renderedPassword: String?) -> String {
        var text = "postgres://" + Self.percentEncoded(user)
        if let renderedPassword { text += ":" + renderedPassword }
        text += "@"
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)/" + Self.percentEncoded(database)
        text += "?sslmode=\(sslMode.rawValue)"
        return text
    }

    private static func dropPrefix(_ prefix: String, of text: String) -> Substring? {
        guard text.count >= prefix.count,
              text.prefix(prefix.count).lowercased() == prefix else { return nil }
        return text.dropFirst(prefix.count)
    }

    /// Shows at most the scheme and host part of something that failed to parse, so a
    /// password in it does not end up in an error message.
    private static func redactGuess(_ text: String) -> String {
        if let at = text.lastIndex(of: "@") {
            return "…@" + text[text.index(after: at)...]
        }
        return text
    }

    /// Decodes %XX escapes; `describedAs` names the part in errors instead of
    /// quoting it (so a password is never shown).
    private static func percentDecoded(
        _ text: Substring, describedAs label: String? = nil
    ) throws(DatabaseURLError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            if byte == UInt8(ascii: "%") {
                guard let h = utf8.next(), let l = utf8.next(),
                      let hi = hexValue(h), let lo = hexValue(l) else {
                    throw .invalidPercentEncoding(label ?? "'\(text)'")
                }
                bytes.append(hi << 4 | lo)
            } else {
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .invalidPercentEncoding(label ?? "'\(text)'")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Encodes everything but RFC 3986's unreserved characters.
    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
