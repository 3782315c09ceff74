import Foundation
import NIOSSL
import RoostCore

/// The private CA an https client trusts instead of the system store: the PEM
/// certificates of `--ca-cert FILE`, read when the client is made so a missing or
/// damaged file is an error at start, not a failed request later.
public struct CACertificate: Sendable {
    /// The file, as given.
    public let path: String
    let certificates: [NIOSSLCertificate]

    /// The environment variable read where no `--ca-cert` was given.
    public static let environmentVariable = "ROOST_CA_CERT"

    public init(path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RoostError.invalidArgument("CA certificate \(path): no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw RoostError.invalidArgument("CA certificate \(path) cannot be read")
        }
        let parsed = try? NIOSSLCertificate.fromPEMBytes(Array(data))
        guard let parsed, !parsed.isEmpty else {
            throw RoostError.invalidArgument("CA certificate \(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        certificates = parsed
    }

    /// The CA file a command uses for `scheduler`: its `--ca-cert`, else
    /// `$ROOST_CA_CERT` when the scheduler is https (the variable may be set for a
    /// whole shell, and means nothing to a plain-http scheduler), else none.
    public static func path(flag: String?, scheduler: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let flag { return flag }
        guard scheduler.lowercased().hasPrefix("https://"), let env = environment[environmentVariable], !env.isEmpty else { return nil }
        return env
    }

    /// `path` made absolute against the working directory, for files kept for
    /// later runs (an agent's credentials), which may start elsewhere.
    public static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
