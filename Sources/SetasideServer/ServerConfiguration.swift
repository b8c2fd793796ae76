/// How `setaside serve` listens.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The largest JSON body accepted; larger is 413.
    public var maxJSONBody: Int
    /// The largest CSV upload accepted.
    public var maxCSVBody: Int
    /// How often the audit trail's new entries are chained.
    public var sealIntervalMilliseconds: Int
    /// Connections at once, and how long a client may be slow or idle.
    public var connections: ConnectionLimits
    /// How long requests under way may take to finish once the server is asked to stop.
    public var shutdownGrace: Duration = .seconds(10)

    public init(host: String = "127.0.0.1", port: Int = 8080, maxJSONBody: Int = 64 * 1024,
                maxCSVBody: Int = 64 * 1024 * 1024, sealIntervalMilliseconds: Int = 50,
                connections: ConnectionLimits = ConnectionLimits()) {
        self.host = host
        self.port = port
        self.maxJSONBody = maxJSONBody
        self.maxCSVBody = maxCSVBody
        self.sealIntervalMilliseconds = sealIntervalMilliseconds
        self.connections = connections
    }
}
