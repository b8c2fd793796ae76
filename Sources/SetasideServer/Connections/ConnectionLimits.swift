import NIOCore

/// How long a client may take and how many may be connected at once: what keeps slow or
/// idle clients from holding the server's sockets and descriptors.
public struct ConnectionLimits: Sendable {
    /// Connections open at once. At the limit, a new connection takes the place of the one
    /// that has waited longest for its next request; when every connection is busy with a
    /// request, the new one is closed.
    public var maxConnections: Int
    /// How long a client has to send a request's head (its line and headers) from when it
    /// connects, and a request's body may stall (no bytes while the server waits for them).
    /// Past it the connection is closed without an answer.
    public var requestTimeout: TimeAmount
    /// How long a kept-alive connection may wait for its next request.
    public var idleTimeout: TimeAmount
    /// How long an answer may wait for a client that does not read it.
    public var writeTimeout: TimeAmount

    public init(maxConnections: Int = 1000, requestTimeout: TimeAmount = .seconds(30),
                idleTimeout: TimeAmount = .seconds(30), writeTimeout: TimeAmount = .seconds(30)) {
        self.maxConnections = maxConnections
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
    }
}
