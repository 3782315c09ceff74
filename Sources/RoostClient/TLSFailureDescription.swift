import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// Turns what AsyncHTTPClient and NIOSSL throw into a `TransportFailure` a user
/// can act on: a certificate that does not verify (unknown CA, wrong host name)
/// says so, names the trust store it was checked against and what to change;
/// anything else (refused, reset, timed out, a plain-http peer) is the scheduler
/// being unreachable.
enum TLSFailureDescription {
    /// What the client checked the scheduler's certificate against.
    enum Trust: Sendable, Equatable {
        case system
        case privateCA(path: String)
    }

    static func classify(_ error: any Error, trust: Trust, host: String) -> TransportFailure {
        if let failure = error as? TransportFailure { return failure }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return .tlsVerification("its certificate is not valid for the host name '\(host)' (failedToValidateHostname); "
                + "use a scheduler URL with a name or address the certificate lists, or reissue the certificate")
        }
        let detail = String(describing: error)
        if error is NIOSSLError || error is BoringSSLError {
            if isVerificationFailure(detail) { return .tlsVerification(unverified(trust)) }
            return .unreachable("TLS handshake failed (is the scheduler serving https on this port?): \(reason(detail))")
        }
        if let client = error as? HTTPClientError { return .unreachable(client.shortDescription.lowercased()) }
        // "connection refused", not NIO's "connection reset (error set): … (errno: 111)".
        if let io = error as? IOError { return .unreachable(String(cString: strerror(io.errnoCode)).lowercased()) }
        return .unreachable(detail)
    }

    static func unverified(_ trust: Trust) -> String {
        switch trust {
        case .system:
            "its certificate is not signed by a CA in the system trust store (CERTIFICATE_VERIFY_FAILED); "
                + "for a private CA pass --ca-cert FILE or set $\(CACertificate.environmentVariable)"
        case .privateCA(let path):
            "its certificate is not signed by the CA in \(path) (CERTIFICATE_VERIFY_FAILED); "
                + "pass the CA that issued it with --ca-cert FILE"
        }
    }

    /// BoringSSL's name for a chain that did not verify, in its error stack.
    static func isVerificationFailure(_ detail: String) -> Bool {
        detail.contains("CERTIFICATE_VERIFY_FAILED")
    }

    /// The reason names of a BoringSSL error stack (`…:OPENSSL_internal:WRONG_VERSION_NUMBER at …`),
    /// without its source paths; the whole text when it holds none.
    static func reason(_ detail: String) -> String {
        var names: [String] = []
        var rest = Substring(detail)
        while let range = rest.range(of: "OPENSSL_internal:") {
            let tail = rest[range.upperBound...]
            let name = tail.prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            if !name.isEmpty, !names.contains(String(name)) { names.append(String(name)) }
            rest = tail
        }
        return names.isEmpty ? detail : names.joined(separator: ", ")
    }
}
