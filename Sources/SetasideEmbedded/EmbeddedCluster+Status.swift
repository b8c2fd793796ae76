import SetasideStore
extension EmbeddedCluster {
    /// Whether the embedded cluster exists and runs.
    public enum Status: Sendable, Equatable, CustomStringConvertible {
        /// The server is up and accepts connections at the URL.
        case running(DatabaseURL)
        /// The cluster exists but its server is not running.
        case stopped(DatabaseURL)
        /// There is no cluster in the folder yet.
        case notInitialised

        /// The URL of the cluster, when it exists.
        public var url: DatabaseURL? {
            switch self {
            case .running(let url), .stopped(let url): return url
            case .notInitialised: return nil
            }
        }

        /// One line for people, with the password hidden.
        public var description: String {
            switch self {
            case .running(let url): return "running at \(url.redacted)"
            case .stopped(let url): return "stopped (start it with `setaside db start`; it will listen at \(url.redacted))"
            case .notInitialised: return "not initialised (create and start it with `setaside db start`)"
            }
        }
    }
}
