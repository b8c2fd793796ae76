#if canImport(Glibc)
import Glibc
#endif
@testable import SetasideEmbedded
@testable import SetasideStore
import Testing

/// The port probe agrees with what PostgreSQL can do.
@Suite struct LocalPortTests {
    #if canImport(Glibc)
    /// A TCP socket on 127.0.0.1 bound to `port` (0 for any), or nil.
    static func boundSocket(_ port: Int, reuse: Bool) -> (fd: Int32, port: Int)? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        if reuse { setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { close(fd); return nil }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test func aPortInUseIsNotFreeAndAPortJustClosedIs() throws {
        // A listener: the port is taken.
        let listener = try #require(Self.boundSocket(0, reuse: true))
        #expect(listen(listener.fd, 1) == 0)
        #expect(!LocalPort.isFree(listener.port))

        // A connection that the server side closes first leaves the port in TIME_WAIT
        // once the listener is gone, as a stopped PostgreSQL does.
        let client = try #require(Self.boundSocket(0, reuse: false))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(listener.port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        let accepted = accept(listener.fd, nil, nil)
        #expect(accepted >= 0)
        close(accepted)
        close(listener.fd)
        var byte: UInt8 = 0
        _ = read(client.fd, &byte, 1)   // sees the close
        close(client.fd)

        // A plain bind fails here, yet PostgreSQL (SO_REUSEADDR) could listen: so can we.
        let plain = Self.boundSocket(listener.port, reuse: false)
        if let plain { close(plain.fd) }
        #expect(plain == nil, "the setup should leave the port in TIME_WAIT")
        #expect(LocalPort.isFree(listener.port))
    }
    #endif
}
