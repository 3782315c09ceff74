import Hummingbird

extension Parameters {
    /// A path parameter percent-decoded (Hummingbird hands them over as sent):
    /// `/v1/reports/a%20b` is the model `a b`. A malformed escape (`%zz`, a lone
    /// `%`) or bytes that are not UTF-8 are a 400, never guessed at.
    func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        guard let value = Self.percentDecoded(raw) else {
            throw APIError(.badRequest, "path parameter '\(name)' is not valid percent-encoded UTF-8", field: name)
        }
        return value
    }

    static func percentDecoded(_ s: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            guard b == UInt8(ascii: "%") else { bytes.append(b); continue }
            guard let hi = it.next().flatMap(hex), let lo = it.next().flatMap(hex) else { return nil }
            bytes.append(hi << 4 | lo)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
