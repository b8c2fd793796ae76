import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
@testable import SetasideServer
import Testing

/// A slow or idle client is closed when its time is up, and not before; at the cap, the
/// connection idle longest gives way to a new one. (scripts/probe-connections.sh tries the
/// same over real sockets.)
@Suite struct SlowClientGuardTests {
    static let limits = ConnectionLimits(maxConnections: 2, requestTimeout: .seconds(30), idleTimeout: .seconds(10),
                                         writeTimeout: .seconds(30))

    /// A connected channel with the guard, its event loop, and the registry.
    static func connection(_ registry: ConnectionRegistry = ConnectionRegistry(limit: 10))
        throws -> (EmbeddedChannel, EmbeddedEventLoop) {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let id = try #require(registry.admit(channel))
        try channel.pipeline.syncOperations.addHandler(SlowClientGuard(limits: limits, registry: registry, id: id))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return (channel, loop)
    }

    static let head = HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: "x", path: "/api/v1/session"))

    @Test func aRequestHeadNotCompleteInTimeClosesTheConnection() throws {
        let (channel, loop) = try Self.connection()
        loop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func aTrickledBodyIsCutOffAndABodyAtASaneRateIsNot() throws {
        let (slow, slowLoop) = try Self.connection()
        try slow.writeInbound(Self.head)
        // A byte every two seconds: 45 bytes would take 90 s.
        for _ in 0..<16 {
            slowLoop.advanceTime(by: .seconds(2))
            if slow.isActive { try slow.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "a"))) }
        }
        #expect(!slow.isActive)

        let (steady, steadyLoop) = try Self.connection()
        try steady.writeInbound(Self.head)
        // 40 KB a second for a minute: 2.4 MB, longer than the request timeout, never cut.
        for _ in 0..<60 {
            steadyLoop.advanceTime(by: .seconds(1))
            try steady.writeInbound(HTTPRequestPart.body(ByteBuffer(repeating: 0x61, count: 40_000)))
        }
        try steady.writeInbound(HTTPRequestPart.end(nil))
        #expect(steady.isActive)
        // The server takes its time to answer: no deadline of the client's meanwhile.
        steadyLoop.advanceTime(by: .seconds(120))
        #expect(steady.isActive)
        // Answered, the connection may wait for its next request for the idle timeout.
        try steady.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try steady.writeOutbound(HTTPResponsePart.end(nil))
        steadyLoop.advanceTime(by: .seconds(9))
        #expect(steady.isActive)
        steadyLoop.advanceTime(by: .seconds(2))
        #expect(!steady.isActive)
    }

    @Test func atTheCapTheConnectionIdleLongestGivesWayAndBusyOnesDoNot() throws {
        let registry = ConnectionRegistry(limit: 2)
        let (first, firstLoop) = try Self.connection(registry)
        firstLoop.advanceTime(by: .seconds(1))
        let (second, _) = try Self.connection(registry)
        // Both wait for a request: a third takes the place of the first, the older.
        let (third, _) = try Self.connection(registry)
        firstLoop.run()
        #expect(!first.isActive)
        #expect(second.isActive && third.isActive)
        #expect(registry.count == 2)
        // Both in a request: a fourth is refused.
        try second.writeInbound(Self.head)
        try third.writeInbound(Self.head)
        #expect(registry.admit(EmbeddedChannel()) == nil)
        #expect(second.isActive && third.isActive)
    }
}

/// A request that does not parse is answered with a problem document, not an empty 400.
@Suite struct MalformedRequestTests {
    @Test func aParseErrorBetweenRequestsIsAProblemDocumentAndTheConnectionCloses() throws {
        let (channel, _) = try SlowClientGuardTests.connection()
        channel.pipeline.fireErrorCaught(HTTPParserErrorStandIn())
        let head = try #require(try channel.readOutbound(as: HTTPResponsePart.self))
        guard case .head(let response) = head else { Issue.record("expected a head, got \(head)"); return }
        #expect(response.status == .badRequest)
        #expect(response.headerFields[.contentType] == "application/problem+json")
        guard case .body(let body)? = try channel.readOutbound(as: HTTPResponsePart.self) else {
            Issue.record("expected a body"); return
        }
        #expect(String(buffer: body).contains("urn:setaside:problem:malformed"))
        #expect(!channel.isActive)
    }

    struct HTTPParserErrorStandIn: Error {}
}
