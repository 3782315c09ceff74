import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import RoostClient
import RoostCore
import RoostTestDatabase
import RoostTestSupport

/// Issue 19's TLS against real processes and PostgreSQL: a scheduler serving
/// https with a certificate from a throwaway CA, an agent enrolled over https
/// with `--ca-cert` that runs a benchmark, and every way the trust can fail —
/// no CA (system store), an unrelated CA, a host name the certificate does not
/// list, plain http to the TLS port, and bad `--tls-cert/--tls-key` at start.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason), .enabled(if: TestCertificates.openssl != nil, TestCertificates.skipReason),
       .serialized)
struct TLSFarmTests {
    static let options = ["--targets", "suite=tls", "--min-seconds", "0.1", "--min-iterations", "5"]
    /// ROOST_CA_CERT unset for the child, whatever the test runner's shell holds.
    static let noCAEnvironment = ["ROOST_CA_CERT": ""]

    @Test func anAgentEnrolledOverHTTPSWithAPrivateCARunsABenchmarkAndUntrustedPeersAreRefused() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let farm = try await TestFarm(databaseURL: url.description, prefix: "roost-tls", tls: true)
            defer { farm.stop() }
            let certs = try #require(farm.tls)
            #expect(farm.scheduler.hasPrefix("https://"))

            // Enrolled over https with --ca-cert (TestFarm passes it); the path is kept for `agent run`.
            _ = try farm.addAgent("tls-agent", profileJSON: #"{"tags": {"suite": "tls"}}"#)
            let credsData = try Data(contentsOf: farm.home.appendingPathComponent("agents/tls-agent.json"))
            let creds = try #require(try JSONSerialization.jsonObject(with: credsData) as? [String: Any])
            #expect(creds["caCertificate"] as? String == certs.caCertificate.path, "\(creds)")
            #expect(creds["scheduler"] as? String == farm.scheduler)

            // A benchmark queued over https lands: the agent leased, fetched the artifact and reported over TLS.
            let model = farm.home.appendingPathComponent("relu.onnx")
            try HostileInputTests.model("Relu").write(to: model)
            let (out, status) = try farm.queueAndWait(model, Self.options, timeout: 120)
            #expect(out.status == 0 && status?.jobs.map(\.state) == ["succeeded"], "\(out.stderr)\n\(farm.logs)")
            let agents = try farm.roost(["agent", "list", "--json", "--scheduler", farm.scheduler] + farm.clientArguments, timeout: 60)
            #expect(agents.status == 0 && agents.stdout.contains("tls-agent"), "\(agents.stderr)")

            // No --ca-cert: the system trust store does not know the test CA.
            let system = try farm.roost(["bench", "status", "--scheduler", farm.scheduler], timeout: 60, environment: Self.noCAEnvironment)
            #expect(system.status != 0, "\(system.stdout)")
            #expect(system.stderr.contains("TLS verification") && system.stderr.contains("system trust store"), "\(system.stderr)")
            // The CA from the environment is used where no flag is given.
            let fromEnv = try farm.roost(["bench", "status", "--scheduler", farm.scheduler], timeout: 60,
                                         environment: ["ROOST_CA_CERT": certs.caCertificate.path])
            #expect(fromEnv.status == 0, "\(fromEnv.stderr)")

            // A CA that did not sign the scheduler's certificate.
            let unrelated = try farm.roost(["bench", "status", "--scheduler", farm.scheduler, "--ca-cert", certs.unrelatedCA.path], timeout: 60)
            #expect(unrelated.status != 0)
            #expect(unrelated.stderr.contains("TLS verification") && unrelated.stderr.contains("not signed by the CA in \(certs.unrelatedCA.path)"),
                    "\(unrelated.stderr)")

            // Enrolling against a certificate the right CA signed for another host name.
            let elsewhere = try OpenSSLServer(certificate: certs.otherHostCertificate, key: certs.otherHostKey, in: farm.home)
            defer { elsewhere.stop() }
            let token = try farm.roost(["token", "create", "--enroll", "--scheduler", farm.scheduler] + farm.clientArguments, timeout: 60)
            try #require(token.status == 0, "\(token.stderr)")
            let wrongHost = try farm.roost(["agent", "enroll", "--scheduler", "https://127.0.0.1:\(elsewhere.port)", "--ca-cert", certs.caCertificate.path,
                                            "--token", token.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--name", "misled"], timeout: 60)
            #expect(wrongHost.status != 0)
            #expect(wrongHost.stderr.contains("TLS verification") && wrongHost.stderr.contains("host name '127.0.0.1'"), "\(wrongHost.stderr)")
            #expect(!FileManager.default.fileExists(atPath: farm.home.appendingPathComponent("agents/misled.json").path))

            // Plain http to the TLS port gets no API reply.
            let plain = try farm.roost(["bench", "status", "--scheduler", "http://127.0.0.1:\(farm.port)"], timeout: 60)
            #expect(plain.status != 0)
            #expect(plain.stderr.contains("cannot reach the scheduler at http://127.0.0.1:\(farm.port)"), "\(plain.stderr)")
            // --ca-cert with a plain http URL is a mistake, said before any request.
            let mixed = try farm.roost(["bench", "status", "--scheduler", "http://127.0.0.1:\(farm.port)", "--ca-cert", certs.caCertificate.path], timeout: 60)
            #expect(mixed.status != 0 && mixed.stderr.contains("is for https:// schedulers"), "\(mixed.stderr)")

            // The agent run with the wrong CA stops at once, saying why (no retry loop).
            farm.agent("tls-agent")?.stop()
            let misrun = try farm.roost(["agent", "run", "--name", "tls-agent", "--exit-when-idle", "30", "--ca-cert", certs.unrelatedCA.path], timeout: 60)
            #expect(misrun.status != 0)
            #expect(misrun.stderr.contains("TLS verification"), "\(misrun.stderr)")
        }
    }

    /// Bad TLS files stop `scheduler serve` before it touches the database: one
    /// line naming the file and the problem, exit 1.
    @Test func badCertificateOrKeyFilesAreAClearErrorAtStart() throws {
        let home = try TestEnvironment.temporaryDirectory("roost-tls-args")
        defer { try? FileManager.default.removeItem(at: home) }
        let certs = try TestCertificates.make(in: home.appendingPathComponent("tls"))
        let garbage = home.appendingPathComponent("garbage.pem")
        try Data("not a certificate\n".utf8).write(to: garbage)
        let missing = home.appendingPathComponent("missing.pem").path
        let encrypted = home.appendingPathComponent("encrypted.key")
        let encrypt = try ProcessRunner().run(try #require(TestCertificates.openssl),
                                              ["pkey", "-in", certs.serverKey.path, "-aes256", "-passout", "pass:secret", "-out", encrypted.path])
        try #require(encrypt.succeeded, "\(encrypt.stderr)")
        // An unreachable database: a start that got past the TLS check would wait for it, not exit at once.
        let serve = ["scheduler", "serve", "--database-url", "postgres://roost@127.0.0.1:9/none", "--database-wait-seconds", "0", "--port", "1"]
        let cases: [(arguments: [String], message: String)] = [
            (["--tls-cert", certs.serverCertificate.path], "--tls-cert needs --tls-key"),
            (["--tls-key", certs.serverKey.path], "--tls-key needs --tls-cert"),
            (["--tls-cert", missing, "--tls-key", certs.serverKey.path], "--tls-cert \(missing): no such file"),
            (["--tls-cert", home.path, "--tls-key", certs.serverKey.path], "cannot be read"),
            (["--tls-cert", garbage.path, "--tls-key", certs.serverKey.path], "holds no PEM certificate"),
            (["--tls-cert", certs.serverCertificate.path, "--tls-key", garbage.path], "is not a PEM private key"),
            (["--tls-cert", certs.serverCertificate.path, "--tls-key", certs.otherHostKey.path], "does not belong to the certificate"),
            // Refused without a prompt: the test's stdin is /dev/null, an operator's a terminal.
            (["--tls-cert", certs.serverCertificate.path, "--tls-key", encrypted.path], "is encrypted"),
        ]
        for c in cases {
            let out = try RoostProcess.run(serve + c.arguments, home: home, timeout: 30)
            #expect(out.status == 1, "\(c.arguments): exit \(out.status)\n\(out.stderr)")
            #expect(out.stderr.contains(c.message), "\(c.arguments): \(out.stderr)")
            #expect(!out.stderr.contains("Fatal error"), "\(out.stderr)")
        }
    }
}

/// `openssl s_server` serving a given certificate on a loopback port: a TLS peer
/// to fail against without a second scheduler.
final class OpenSSLServer: Sendable {
    let port: Int
    private let child: ChildProcess

    init(certificate: URL, key: URL, in directory: URL) throws {
        guard let openssl = TestCertificates.openssl else { throw RoostError.io("openssl not found on PATH") }
        port = try FreePort.find()
        child = try ChildProcess(openssl, ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate.path, "-key", key.path, "-www"],
                                 stdout: directory.appendingPathComponent("s_server.log"), stderr: directory.appendingPathComponent("s_server.log"))
        // Listening when a TCP connect succeeds (at most 5 s).
        for _ in 0..<50 {
            if Self.accepts(port) { return }
            guard child.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        child.stop()
        throw RoostError.io("openssl s_server did not start on port \(port)")
    }

    func stop() { child.stop(grace: 1) }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
