/// Writes JSON by hand where a `JSONEncoder` is measurably too slow (the lease
/// reply, built hundreds of times a second). Only what the callers need:
/// strings, integers, doubles and already-valid JSON fragments.
public struct JSONText: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Already-valid JSON bytes, as they are.
    public mutating func append(_ json: some Sequence<UInt8>) { bytes.append(contentsOf: json) }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    public mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":` — keys are the callers' own ASCII identifiers.
    public mutating func key(_ k: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func int(_ v: Int) { raw(String(v)) }

    /// A finite double (JSON has no NaN or infinity; those are written as null).
    public mutating func double(_ v: Double) { raw(v.isFinite ? "\(v)" : "null") }

    /// Rewrites every `\u0000` escape as `\ufffd` (same length, in place).
    /// JSON allows U+0000 in strings, but PostgreSQL's jsonb refuses it and
    /// with it the whole document — one agent's odd error text would fail
    /// every result batched with it.
    public static func replaceNULEscapes(in bytes: inout [UInt8]) {
        let backslash = UInt8(ascii: "\\"), zero = UInt8(ascii: "0")
        var i = 0
        while i < bytes.count {
            guard bytes[i] == backslash else { i += 1; continue }
            var j = i
            while j < bytes.count, bytes[j] == backslash { j += 1 }
            // An odd run ends in an escaping backslash; an even run is literal backslashes.
            if (j - i) % 2 == 1, j + 4 < bytes.count, bytes[j] == UInt8(ascii: "u"),
               bytes[j + 1] == zero, bytes[j + 2] == zero, bytes[j + 3] == zero, bytes[j + 4] == zero {
                bytes.replaceSubrange((j + 1)...(j + 4), with: Array("fffd".utf8))
            }
            i = j
        }
    }
}
