import Foundation
import Testing
@testable import RoostClient
import RoostCore

/// Heavy requests (queue, model upload, bundle export) wait longer for their
/// reply than the transport's default, and the transports honour it.
@Suite struct RequestTimeoutTests {
    @Test func heavyRequestsAskForTheLongTimeoutAndOthersDoNot() async throws {
        let recorder = RoostClientSendTests.Recorder(TransportReply(status: 200, body: Data("{}".utf8), headers: [:]))
        let client = RoostClientSendTests.client(recorder)
        _ = try? await client.uploadModel(Data("m".utf8), name: "m")
        _ = try? await client.queueBenchmark(QueueBenchmarkRequest(modelSHA256: "abc", targets: "all", spec: BenchmarkSpec()))
        _ = try? await client.send("GET", "/v1/agents")
        let timeouts = recorder.requests.map(\.timeout)
        #expect(timeouts == [RoostClient.heavyRequestTimeout, RoostClient.heavyRequestTimeout, nil])
    }

    /// A reply slower than the session's timeout arrives when the request asks for longer.
    @Test func urlSessionHonoursALongerPerRequestTimeout() async throws {
        let server = try SlowServer(delay: 2.5)
        defer { server.close() }
        let transport = URLSessionTransport(timeout: 1)
        let url = URL(string: "http://127.0.0.1:\(server.port)/slow")!
        let reply = try await transport.exchange(TransportRequest(url: url, method: "GET", timeout: 10))
        #expect(reply.status == 200 && reply.body == Data("late".utf8))
        await #expect(throws: TransportFailure.self) { try await transport.exchange(TransportRequest(url: url, method: "GET")) }
    }
}

/// Answers each connection after `delay` seconds with a 200 "late".
final class SlowServer: @unchecked Sendable {
    let fd: Int32
    let port: Int
    private let thread: Thread

    init(delay: Double) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0, listen(fd, 8) == 0 else { throw RoostError.io("cannot listen: \(errno)") }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: addr.sin_port))
        let listener = fd
        thread = Thread {
            while true {
                let c = accept(listener, nil, nil)
                if c < 0 { return }
                Thread.detachNewThread {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    _ = read(c, &buffer, buffer.count)
                    usleep(UInt32(delay * 1_000_000))
                    let reply = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nlate"
                    _ = reply.withCString { write(c, $0, strlen($0)) }
                    Glibc.close(c)
                }
            }
        }
        thread.start()
    }

    func close() { shutdown(fd, Int32(SHUT_RDWR)); Glibc.close(fd) }
}
