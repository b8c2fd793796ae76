import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 channel with `ConnectionLimits`: each connection is counted by
/// the registry (the one waiting longest gives way at the cap, or the new one is closed at
/// accept) and watched by a `SlowClientGuard`.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let registry: ConnectionRegistry

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard let id = registry.admit(channel) else {
            logger.debug("connection refused: \(registry.limit) connections open, each in a request")
            // A failed setup drops the connection without closing it: close it here.
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ConnectionRefused())
        }
        let registry = self.registry
        channel.closeFuture.whenComplete { _ in registry.remove(id) }
        let limits = self.limits
        let inner = HTTP1Channel(responder: responder, configuration: .init(
            additionalChannelHandlers: [SlowClientGuard(limits: limits, registry: registry, id: id)]))
        return inner.setup(channel: channel, logger: logger).flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error
        }
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder).handle(value: value, logger: logger)
    }

    struct ConnectionRefused: Error {}
}

extension HTTPServerBuilder {
    /// HTTP/1.1 within `limits`.
    static func guardedHTTP1(_ limits: ConnectionLimits) -> HTTPServerBuilder {
        let registry = ConnectionRegistry(limit: limits.maxConnections)
        return HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, registry: registry)
        }
    }
}
