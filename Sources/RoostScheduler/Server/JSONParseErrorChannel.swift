import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOHTTP1

/// HTTP/1.1 as Hummingbird serves it, except that a request it cannot parse (a
/// URI or header past the decoder's 80 KiB) is answered with a JSON error body
/// like every other error, instead of a bare, empty 400: clients parse every
/// error the same way.
struct JSONParseErrorChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel

    /// With `tls`, the same channel inside HummingbirdTLS's `TLSChannel`, which puts
    /// the NIOSSL handler in front of it: HTTP and the parse-error body are unchanged.
    static func builder(tls: TLSConfiguration? = nil) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            let channel = JSONParseErrorChannel(inner: HTTP1Channel(responder: responder))
            guard let tls else { return channel }
            return try TLSChannel(channel, tlsConfiguration: tls)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let encoder = try channel.pipeline.syncOperations.handler(type: HTTPResponseEncoder.self)
            try channel.pipeline.syncOperations.addHandler(ParseErrorBody(), position: .after(encoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Gives Hummingbird's parse-error reply (400, `content-length: 0`) a JSON body.
/// Every 400 of Roost's own routes has one already, so only that reply matches.
private final class ParseErrorBody: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    static let body = #"{"error":"the request could not be parsed as HTTP/1.1: its URI or headers are too long (at most 80 KiB) or malformed"}"#

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest, head.headers["content-length"].first == "0" else {
            context.write(data, promise: promise)
            return
        }
        let body = context.channel.allocator.buffer(string: Self.body)
        head.headers.replaceOrAdd(name: "content-length", value: String(body.readableBytes))
        head.headers.replaceOrAdd(name: "content-type", value: "application/json")
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: promise)
    }
}
