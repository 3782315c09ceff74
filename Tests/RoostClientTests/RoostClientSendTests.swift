import Foundation
import Testing
@testable import RoostClient
import RoostCore

/// `send` over a recorded transport: what goes on the wire and how replies and
/// failures become `RoostError`s, the same whichever transport carries them.
@Suite struct RoostClientSendTests {
    /// Answers every exchange with `reply` (or throws `failure`) and keeps the requests.
    final class Recorder: HTTPTransport {
        private let seen = LockedBox<[TransportRequest]>([])
        let reply: TransportReply
        let failure: TransportFailure?

        init(_ reply: TransportReply = TransportReply(status: 200, body: Data("{}".utf8), headers: [:]), failure: TransportFailure? = nil) {
            self.reply = reply
            self.failure = failure
        }

        var requests: [TransportRequest] { seen.get() }

        func exchange(_ request: TransportRequest) async throws -> TransportReply {
            seen.update { $0.append(request) }
            if let failure { throw failure }
            return reply
        }
    }

    static func client(_ transport: Recorder, credential: String? = "agent_secret") -> RoostClient {
        RoostClient(baseURL: URL(string: "https://sched.example:8740/")!, credential: credential, transport: transport)
    }

    @Test func theRequestCarriesTheCredentialContentTypeEncodedPathAndQuery() async throws {
        let recorder = Recorder(TransportReply(status: 201, body: Data("ok".utf8), headers: ["roost-signature": "abc"]))
        let reply = try await Self.client(recorder).send("POST", "/v1/reports/\(RoostClient.segment("a b/c"))", body: Data("x".utf8),
                                                       contentType: "application/octet-stream", query: ["baseline": "branch=main&x"])
        #expect(reply.status == 201 && reply.body == Data("ok".utf8) && reply.headers["roost-signature"] == "abc")
        let sent = try #require(recorder.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.url.absoluteString == "https://sched.example:8740/v1/reports/a%20b%2Fc?baseline=branch%3Dmain%26x")
        #expect(sent.headers["Authorization"] == "Bearer agent_secret")
        #expect(sent.headers["Content-Type"] == "application/octet-stream")
        #expect(sent.body == Data("x".utf8))
    }

    @Test func noCredentialAndNoBodySendNeitherHeader() async throws {
        let recorder = Recorder()
        _ = try await Self.client(recorder, credential: nil).send("GET", "/health")
        #expect(try #require(recorder.requests.first).headers.isEmpty)
    }

    @Test func aNon2xxStatusIsAnHTTPErrorWithTheServersMessageUnlessAllowed() async throws {
        let conflict = Recorder(TransportReply(status: 409, body: Data(#"{"error":"lease is gone"}"#.utf8), headers: [:]))
        await #expect(throws: RoostError.http(status: 409, message: "lease is gone")) {
            try await Self.client(conflict).send("POST", "/v1/jobs/j/heartbeat")
        }
        #expect(try await Self.client(conflict).send("POST", "/v1/jobs/j/heartbeat", allow: [409]).status == 409)
        let plain = Recorder(TransportReply(status: 502, body: Data("Bad Gateway".utf8), headers: [:]))
        await #expect(throws: RoostError.http(status: 502, message: "Bad Gateway")) { try await Self.client(plain).send("GET", "/v1/agents") }
    }

    @Test func transportFailuresBecomeUnreachableOrTLSErrorsNamingTheScheduler() async throws {
        let refused = Recorder(failure: .unreachable("connection refused"))
        await #expect(throws: RoostError.unreachable("cannot reach the scheduler at https://sched.example:8740/: connection refused")) {
            try await Self.client(refused).send("GET", "/health")
        }
        let untrusted = Recorder(failure: .tlsVerification("its certificate is not signed by the CA in /x.pem"))
        do {
            try await Self.client(untrusted).send("GET", "/health")
            Issue.record("no error")
        } catch let error as RoostError {
            guard case .tls(let message) = error else { Issue.record("not a TLS error: \(error)"); return }
            #expect(message == "TLS verification of the scheduler at https://sched.example:8740/ failed: its certificate is not signed by the CA in /x.pem")
            #expect(!error.isTransient, "a certificate that does not verify is not retried")
        }
    }
}
