import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One simulated agent's keep-alive HTTP/1.1 connection, on SwiftNIO's own
/// HTTP codec. The load generator shares the machine with the scheduler and
/// PostgreSQL, so its cost per request is taken from what they can use:
/// URLSession (libcurl on Linux) spent about 1 ms of CPU per request here,
/// which capped the benchmark below what the scheduler could serve.
enum AgentConnection {
    struct Reply {
        var status: Int
        var body: Data
    }

    /// Request/response over one connection, strictly in turn (as an agent does).
    struct Exchange {
        fileprivate var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
        fileprivate let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
        fileprivate let host: String

        mutating func send(_ method: HTTPMethod, _ path: String, credential: String, body: Data) async throws -> Reply {
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: host)
            head.headers.add(name: "Authorization", value: "Bearer \(credential)")
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(body.count))
            try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(ByteBuffer(bytes: body))), .end(nil)])
            var status = 0
            var collected = ByteBuffer()
            while let part = try await inbound.next() {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(var chunk): collected.writeBuffer(&chunk)
                case .end: return Reply(status: status, body: Data(collected.readableBytesView))
                }
            }
            throw CancellationError()  // the server closed the connection mid-reply
        }
    }

    /// Connects, runs `body` with the connection, closes it.
    static func with<T: Sendable>(host: String, port: Int, _ body: (inout Exchange) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var exchange = Exchange(inbound: inbound.makeAsyncIterator(), outbound: outbound, host: "\(host):\(port)")
            return try await body(&exchange)
        }
    }
}
