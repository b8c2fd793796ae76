import Foundation
import Hummingbird
import HummingbirdBcrypt
import SetasideCore
import SetasideStore

/// `POST /api/v1/session`: a password login that answers with a new bearer token.
/// Repeated failures from one address are slowed down (429 with Retry-After).
struct SessionController {
    let store: Store
    let configuration: ServerConfiguration
    let throttle: LoginThrottle

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.post("session", use: login)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let wait = await throttle.delay(for: context.remoteAddress) {
            var headers = HTTPFields()
            headers[.retryAfter] = String(wait)
            var response = Problem(.tooManyRequests, type: "too-many-logins", title: "Too many failed logins",
                                   detail: "too many failed logins from this address; try again in \(wait) seconds").response
            response.headers[.retryAfter] = String(wait)
            return response
        }
        var body = try await JSONBody.read(request, maxSize: configuration.maxJSONBody, allowed: ["login", "password"])
        let login = body.string("login"), password = body.string("password")
        try body.finish()
        guard let login, let password else { throw Problem.validation(body.problems) }
        if let (account, hash) = try await store.passwordLogin(login),
           Bcrypt.verify(password, hash: hash) {
            await throttle.succeeded(context.remoteAddress)
            let token = try await store.issueToken(login: account.login, actor: account.actor)
            return try JSONResponse("{\"token\": \(JSONText.string(token)), \"login\": \(JSONText.string(account.login)), "
                                    + "\"role\": \(JSONText.string(account.role.rawValue))}", status: .created)
                .response(from: request, context: context)
        }
        await throttle.failed(context.remoteAddress)
        throw Problem(.unauthorized, type: "login-failed", title: "Login failed", detail: "wrong login or password")
    }
}

/// Counts failed logins per address: after `free` failures within `window`, each
/// further attempt must wait, doubling up to `maximumWait` seconds.
actor LoginThrottle {
    let free: Int
    let window: TimeInterval
    let maximumWait: Int
    private var failures: [String: [Date]] = [:]

    init(free: Int = 5, window: TimeInterval = 15 * 60, maximumWait: Int = 300) {
        self.free = free
        self.window = window
        self.maximumWait = maximumWait
    }

    /// Seconds to wait before the next attempt, or nil when it may go ahead.
    func delay(for address: String, now: Date = Date()) -> Int? {
        let recent = (failures[address] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[address] = recent
        guard recent.count >= free, let last = recent.last else { return nil }
        let wait = min(maximumWait, 1 << min(20, recent.count - free + 1))
        let waited = Int(now.timeIntervalSince(last))
        return waited >= wait ? nil : wait - waited
    }

    func failed(_ address: String, now: Date = Date()) {
        failures[address, default: []].append(now)
    }

    func succeeded(_ address: String) {
        failures[address] = nil
    }
}
