/// The answer to a write, as the edge that made it renders it, kept under its
/// idempotency key so that a repeat of the request gets the same answer.
public struct KeptAnswer: Sendable, Hashable {
    public var status: Int
    public var body: String

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// A write's idempotency key, with the request it came with (what a repeat must match).
public struct IdempotencyKey: Sendable, Hashable {
    public var key: String
    /// The request as the edge fingerprints it (method, path and body).
    public var request: String

    public init(key: String, request: String) {
        self.key = key
        self.request = request
    }
}

/// What became of a write sent with an idempotency key.
public enum IdempotentOutcome: Sendable, Hashable {
    /// Done now.
    case fresh(KeptAnswer)
    /// Done before with the same request: the first answer, nothing stored again.
    case replayed(KeptAnswer)
    /// The key was used before for a different request.
    case keyReused
}
