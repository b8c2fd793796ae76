import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes, without an answer, a connection whose client is too slow: a request head not
/// complete within the request timeout of the connection opening (bytes trickled in do
/// not count: a head counts once it is whole); a body not complete within the request
/// timeout of its head, extended by a second for every `bodyBytesPerSecond` bytes that
/// came (so a large upload at a sane rate is never cut, and a trickle is); no next request
/// within the idle timeout; an answer the client does not read within the write timeout.
/// Sits after the HTTP codec, so it sees whole request parts.
final class SlowClientGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Phase { case waitingForHead, readingBody, answering }

    /// The slowest a body may come once its first request timeout has passed.
    static let bodyBytesPerSecond: Int64 = 500

    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private let id: Int
    private var phase = Phase.waitingForHead
    /// Requests whose head has come and whose answer has not ended (pipelining).
    private var unanswered = 0
    private var deadline: Scheduled<Void>?
    /// When the body being read must be complete, before what it has received extends it.
    private var bodyStart = NIODeadline.now()
    private var bodyBytes: Int64 = 0
    private var writeDeadline: Scheduled<Void>?

    init(limits: ConnectionLimits, registry: ConnectionRegistry, id: Int) {
        self.limits = limits
        self.registry = registry
        self.id = id
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, limits.requestTimeout) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil { arm(context, limits.requestTimeout) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelAll()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelAll()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            if unanswered == 0 { registry.setWaiting(id, false) }
            unanswered += 1
            phase = .readingBody
            bodyStart = context.eventLoop.now
            bodyBytes = 0
            armBody(context)
        case .body(let bytes):
            bodyBytes += Int64(bytes.readableBytes)
            armBody(context)
        case .end:
            if unanswered == 0 {
                waitForNextRequest(context)
            } else {
                phase = .answering
                disarm()   // the server is at work: no deadline of the client's
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), unanswered > 0 {
            unanswered -= 1
            if unanswered == 0, phase == .answering { waitForNextRequest(context) }
        }
        context.write(data, promise: promise)
    }

    /// A request that does not parse (a header with control characters, say) between
    /// requests: answered with a problem document, not Hummingbird's empty 400, and the
    /// connection closed. In the middle of a request the error goes on as before.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard unanswered == 0, context.channel.isActive else {
            context.fireErrorCaught(error)
            return
        }
        let problem = Problem.malformed("the request could not be read as HTTP: check its request line and headers")
        let body = ByteBuffer(string: problem.json)
        var head = HTTPResponse(status: .badRequest)
        head.headerFields[.contentType] = "application/problem+json"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.connection] = "close"
        unanswered = 1   // nothing else is answered on this connection
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        writeDeadline?.cancel()
        writeDeadline = nil
        if !context.channel.isWritable {
            writeDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: limits.writeTimeout) {
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    private func waitForNextRequest(_ context: ChannelHandlerContext) {
        phase = .waitingForHead
        registry.setWaiting(id, true)
        arm(context, limits.idleTimeout)
    }

    private func armBody(_ context: ChannelHandlerContext) {
        let allowance = TimeAmount.milliseconds(bodyBytes * 1000 / Self.bodyBytesPerSecond)
        arm(context, at: bodyStart + limits.requestTimeout + allowance)
    }

    private func arm(_ context: ChannelHandlerContext, _ delay: TimeAmount) {
        arm(context, at: context.eventLoop.now + delay)
    }

    private func arm(_ context: ChannelHandlerContext, at instant: NIODeadline) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(deadline: instant) { [self] in
            self.deadline = nil
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }

    private func cancelAll() {
        disarm()
        writeDeadline?.cancel()
        writeDeadline = nil
    }
}

@available(*, unavailable)
extension SlowClientGuard: Sendable {}
