import Crypto
import HTTPTypes
import Hummingbird

/// How a browser's session is kept: the bearer token of a password login in an HttpOnly
/// cookie (so a session is revoked like any token), and a CSRF token on every form made
/// from it. Before signing in, a random cookie of its own stands in for the token, so that
/// the sign-in form has a CSRF token too.
enum PageSession {
    static let cookie = "setaside_session"
    static let preSessionCookie = "setaside_pre"
    /// How long a browser keeps the session cookie (the token itself expires as tokens do).
    static let maxAge = 12 * 3600

    /// The form token of a session (or pre-session) secret: a digest no page of another
    /// site can compute, since it cannot read the HttpOnly cookie it is made from.
    static func csrfToken(for secret: String) -> String {
        let digest = SHA256.hash(data: Array("setaside-csrf:\(secret)".utf8))
        return digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    /// Whether `token`, as a form sent it, is the one of `secret`. Compared in full,
    /// whatever the first difference.
    static func accepts(_ token: String?, for secret: String?) -> Bool {
        guard let token, let secret else { return false }
        let expected = Array(csrfToken(for: secret).utf8), sent = Array(token.utf8)
        guard expected.count == sent.count else { return false }
        return zip(expected, sent).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A new random secret for a pre-session cookie.
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }

    /// Whether the request came over TLS (directly, or through a proxy that says so): its
    /// cookies are then marked Secure.
    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme?.rawValue == "https"
            || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// A cookie of the pages: HttpOnly, SameSite=Lax, for the whole site.
    static func cookie(_ name: String, _ value: String, maxAge: Int?, secure: Bool) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
