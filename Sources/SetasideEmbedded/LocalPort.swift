#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Probes TCP ports on 127.0.0.1.
enum LocalPort {
    /// The ports tried, in order, when the user sets none.
    static let searchRange: ClosedRange<Int> = 54320...54419

    /// Whether a server could listen on `port` at 127.0.0.1 now (nothing else holds it).
    static func isFree(_ port: Int) -> Bool {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // As PostgreSQL does when it listens: connections just closed (TIME_WAIT, for a
        // minute after a server stops) do not keep the port from being reused.
        var reuse: Int32 = 1
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size)) == 0 else { return false }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    /// The first free port of ``searchRange``, if any.
    static func firstFree(excluding taken: Int? = nil) -> Int? {
        searchRange.first { $0 != taken && isFree($0) }
    }
}
