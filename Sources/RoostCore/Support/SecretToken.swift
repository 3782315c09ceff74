import Crypto
import Foundation

/// Bearer credentials: 32 random bytes, shown once, stored only as their sha256.
public enum SecretToken {
    /// Every lease gets one, so this is on the scheduler's hot path: four 64-bit
    /// draws from the system generator, not 32 one-byte ones.
    public static func generate(prefix: String) -> String {
        var rng = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: rng.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return prefix + "_" + Data(bytes).base64URLEncoded
    }

    /// What the database keeps: a one-way hash, so a leaked table leaks no credentials.
    public static func hash(_ token: String) -> String { Digest.sha256Hex(of: token) }
}

extension Data {
    /// RFC 4648 §5 without padding.
    var base64URLEncoded: String {
        let url: [UInt8] = base64EncodedData().compactMap { c in
            switch c {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: c
            }
        }
        return String(decoding: url, as: UTF8.self)
    }
}
