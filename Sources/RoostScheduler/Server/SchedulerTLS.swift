import Foundation
import NIOSSL
import RoostCore

/// The scheduler's own certificate chain and key (`--tls-cert`, `--tls-key`, PEM),
/// read and checked at start — before the database is touched — so a missing,
/// unreadable, damaged, encrypted or mismatched file is one clear error, never a
/// failure on the first connection.
public struct SchedulerTLS: Sendable {
    public let certificatePath: String
    public let keyPath: String
    let configuration: TLSConfiguration
    /// When the leaf certificate stops being valid (for a warning at start).
    public let notValidAfter: Date

    public init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        let chainBytes = Array(try Self.read(certificatePath, "--tls-cert"))
        // Damaged PEM throws, text without a certificate block parses to none: the same mistake.
        let chain = (try? NIOSSLCertificate.fromPEMBytes(chainBytes)) ?? []
        guard let leaf = chain.first else {
            throw RoostError.invalidArgument("--tls-cert \(certificatePath) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        let keyBytes = Array(try Self.read(keyPath, "--tls-key"))
        if String(decoding: keyBytes, as: UTF8.self).contains("ENCRYPTED") {
            throw RoostError.invalidArgument("--tls-key \(keyPath) is encrypted; give the scheduler an unencrypted key (openssl pkey -in KEY -out PLAIN), mode 0600")
        }
        let key: NIOSSLPrivateKey
        do {
            // A passphrase callback that refuses: BoringSSL would otherwise prompt on stdin.
            key = try NIOSSLPrivateKey(bytes: keyBytes, format: .pem) { (_: NIOSSLPassphraseSetter<[UInt8]>) in
                throw RoostError.invalidArgument("--tls-key \(keyPath) is encrypted")
            }
        } catch {
            throw RoostError.invalidArgument("--tls-key \(keyPath) is not a PEM private key")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        // Built once here: BoringSSL refuses a key that is not the certificate's.
        do { _ = try NIOSSLContext(configuration: configuration) } catch {
            throw RoostError.invalidArgument("--tls-key \(keyPath) does not belong to the certificate in --tls-cert \(certificatePath) (\(error))")
        }
        self.configuration = configuration
        notValidAfter = Date(timeIntervalSince1970: TimeInterval(leaf.notValidAfter))
    }

    private static func read(_ path: String, _ flag: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RoostError.invalidArgument("\(flag) \(path): no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw RoostError.invalidArgument("\(flag) \(path) cannot be read")
        }
        return data
    }
}
