import Foundation
import Testing
@testable import RoostClient
import RoostCore

/// `--ca-cert`: which file a command uses, and the errors a bad one gives
/// when the client is made (never a failed request later).
@Suite struct CACertificateTests {
    /// A self-signed EC CA certificate (openssl req -x509), only ever parsed here.
    static let pem = """
        -----BEGIN CERTIFICATE-----
        MIIBljCCATugAwIBAgIULtUZZSKzskDfCfQkB+yrdeOFxI8wCgYIKoZIzj0EAwIw
        GDEWMBQGA1UEAwwNUm9vc3QgVGVzdCBDQTAeFw0yNjEyMDMwNTQwMDRaFw0yNjEy
        MDUwNTQwMDRaMBgxFjAUBgNVBAMMDVJvb3N0IFRlc3QgQ0EwWTATBgcqhkjOPQIB
        BggqhkjOPQMBBwNCAAT8JdXlveiwpWTml1Y6E0Jj0Me/cxeOg5Oj4iuq/MujhCad
        Nqh7Udq7l7OEoPHuh2he14nCSj49dvedIrVqVuAUo2MwYTAdBgNVHQ4EFgQUEJxx
        Ezc2qrefuwQQtqrQ1RDtT2cwHwYDVR0jBBgwFoAUEJxxEzc2qrefuwQQtqrQ1RDt
        T2cwDwYDVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAQYwCgYIKoZIzj0EAwID
        SQAwRgIhAOdZGLqR8+yrGeVT2dMpQKumanshP1JGIZ/ZTE80dSmbAiEArsR5laYg
        LZusQ8t0B0nm0tDDi2cmNj/UQ1aRe+IiwGI=
        -----END CERTIFICATE-----

        """

    static func file(_ name: String, _ contents: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-ca-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url
    }

    @Test func theFlagWinsThenTheEnvironmentForHTTPSOnly() {
        let env = ["ROOST_CA_CERT": "/env/ca.pem"]
        #expect(CACertificate.path(flag: "/flag.pem", scheduler: "https://s:1", environment: env) == "/flag.pem")
        #expect(CACertificate.path(flag: "/flag.pem", scheduler: "http://s:1", environment: env) == "/flag.pem", "an explicit flag is kept (and refused for http)")
        #expect(CACertificate.path(flag: nil, scheduler: "https://s:1", environment: env) == "/env/ca.pem")
        #expect(CACertificate.path(flag: nil, scheduler: "HTTPS://s:1", environment: env) == "/env/ca.pem")
        #expect(CACertificate.path(flag: nil, scheduler: "http://s:1", environment: env) == nil, "the variable means nothing to plain http")
        #expect(CACertificate.path(flag: nil, scheduler: "https://s:1", environment: ["ROOST_CA_CERT": ""]) == nil)
        #expect(CACertificate.path(flag: nil, scheduler: "https://s:1", environment: [:]) == nil)
    }

    @Test func relativePathsAreMadeAbsoluteForLaterRuns() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(CACertificate.absolute("certs/ca.pem") == URL(fileURLWithPath: cwd).appendingPathComponent("certs/ca.pem").standardizedFileURL.path)
        #expect(CACertificate.absolute("/etc/roost/../roost/ca.pem") == "/etc/roost/ca.pem")
    }

    @Test func aPEMFileLoadsAndBadFilesAreClearErrors() throws {
        let good = try Self.file("ca.pem", Self.pem)
        #expect(try CACertificate(path: good.path).certificates.count == 1)
        let missing = good.deletingLastPathComponent().appendingPathComponent("nope.pem").path
        #expect(throws: RoostError.invalidArgument("CA certificate \(missing): no such file")) { try CACertificate(path: missing) }
        let dir = good.deletingLastPathComponent().path
        #expect(throws: RoostError.invalidArgument("CA certificate \(dir) cannot be read")) { try CACertificate(path: dir) }
        let garbage = try Self.file("garbage.pem", "hello\n")
        #expect(throws: RoostError.invalidArgument("CA certificate \(garbage.path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")) {
            try CACertificate(path: garbage.path)
        }
    }

    @Test func theClientChecksTheSchemeAndTheCAFileWhenItIsMade() throws {
        #expect(throws: RoostError.self) { try RoostClient(scheduler: "ftp://s:1", credential: nil) }
        #expect(throws: RoostError.invalidArgument("--ca-cert /x.pem is for https:// schedulers; http://s:1 is plain http")) {
            try RoostClient(scheduler: "http://s:1", credential: nil, caCertificate: "/x.pem")
        }
        #expect(throws: RoostError.invalidArgument("CA certificate /no/such/ca.pem: no such file")) {
            try RoostClient(scheduler: "https://s:1", credential: nil, caCertificate: "/no/such/ca.pem")
        }
        let good = try Self.file("ca.pem", Self.pem)
        #expect(try RoostClient(scheduler: "https://s:1", credential: nil, caCertificate: good.path).baseURL.scheme == "https")
        #expect(try RoostClient(scheduler: "https://s:1", credential: nil).baseURL.host == "s", "no CA: the system trust store")
    }
}
