import Foundation
import RoostCore
import Testing

/// A throwaway PKI for one test, made with the `openssl` command line (EC P-256,
/// valid two days): a CA, a server certificate it signed for 127.0.0.1 and
/// localhost, a certificate it signed for another host name, and an unrelated CA.
struct TestCertificates: Sendable {
    let directory: URL
    var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
    var serverKey: URL { directory.appendingPathComponent("server.key") }
    /// Signed by the same CA, for `elsewhere.example` only: a host name mismatch on 127.0.0.1.
    var otherHostCertificate: URL { directory.appendingPathComponent("elsewhere.pem") }
    var otherHostKey: URL { directory.appendingPathComponent("elsewhere.key") }
    /// A CA that signed nothing here: trusting it instead is a verification failure.
    var unrelatedCA: URL { directory.appendingPathComponent("unrelated-ca.pem") }
    var unrelatedKey: URL { directory.appendingPathComponent("unrelated-ca.key") }

    static var openssl: String? { ProcessRunner.which("openssl") }
    static let skipReason: Comment = "no openssl command on this machine; the TLS farm test is skipped"

    /// Writes everything into `directory` (created if missing).
    static func make(in directory: URL) throws -> TestCertificates {
        guard let openssl else { throw RoostError.io("openssl not found on PATH") }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certs = TestCertificates(directory: directory)
        func run(_ arguments: [String]) throws {
            let out = try ProcessRunner().run(openssl, arguments, currentDirectory: directory, timeout: 30)
            guard out.succeeded else { throw RoostError.io("openssl \(arguments.joined(separator: " ")) failed: \(out.stderr)") }
        }
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        func selfSignedCA(_ name: String, key: URL, cert: URL) throws {
            try run(["req", "-x509"] + ec + ["-keyout", key.path, "-out", cert.path, "-days", "2", "-subj", "/CN=\(name)",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        let caKey = directory.appendingPathComponent("ca.key")
        try selfSignedCA("Roost Test CA", key: caKey, cert: certs.caCertificate)
        try selfSignedCA("Unrelated Test CA", key: certs.unrelatedKey, cert: certs.unrelatedCA)
        func leaf(_ name: String, altNames: String, key: URL, cert: URL, serial: String) throws {
            let csr = directory.appendingPathComponent("\(name).csr")
            let ext = directory.appendingPathComponent("\(name).ext")
            try Data("""
                basicConstraints=CA:FALSE
                keyUsage=critical,digitalSignature
                extendedKeyUsage=serverAuth
                subjectAltName=\(altNames)

                """.utf8).write(to: ext)
            try run(["req"] + ec + ["-keyout", key.path, "-out", csr.path, "-subj", "/CN=\(name)"])
            try run(["x509", "-req", "-in", csr.path, "-CA", certs.caCertificate.path, "-CAkey", caKey.path, "-set_serial", serial,
                     "-days", "2", "-extfile", ext.path, "-out", cert.path])
        }
        try leaf("localhost", altNames: "IP:127.0.0.1,DNS:localhost", key: certs.serverKey, cert: certs.serverCertificate, serial: "0x1001")
        try leaf("elsewhere.example", altNames: "DNS:elsewhere.example", key: certs.otherHostKey, cert: certs.otherHostCertificate, serial: "0x1002")
        return certs
    }
}
