import Crypto
import Foundation

/// Content addressing: models, artifacts and tokens are named by their sha256.
public enum Digest {
    public static func sha256Hex(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    public static func sha256Hex(of string: String) -> String { sha256Hex(of: Data(string.utf8)) }

    /// Incremental hashing for files too large to hold twice in memory.
    public static func sha256Hex(ofFile url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    /// Lower-case hex. Every authenticated request hashes its bearer token, so
    /// this is on the scheduler's hot path: no per-byte `String(format:)`.
    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func isSHA256Hex(_ s: String) -> Bool {
        s.count == 64 && s.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
