import Crypto
import Foundation

/// Bearer credentials: 32 random bytes, shown once, stored only as their sha256.
public enum SecretToken {
    public static func generate(prefix: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return prefix + "_" + Data(bytes).base64URLEncoded
    }

    /// What the database keeps: a one-way hash, so a leaked table leaks no credentials.
    public static func hash(_ token: String) -> String { Digest.sha256Hex(of: token) }
}

extension Data {
    var base64URLEncoded: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
