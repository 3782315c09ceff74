import Crypto
import Foundation
import RoostCore

/// The one file an offline board receives (a bundle) or sends back (a results
/// file): named entries in a length-prefixed container, closed by the sha256 of
/// everything before it. Not a tar: no new package, no paths from the file ever
/// reach the file system, and truncation or a flipped byte is caught before any
/// entry is read.
///
/// Layout (integers big-endian): 8-byte magic, u32 format version, u32 entry
/// count, then per entry u32 name length, UTF-8 name, u64 data length, data;
/// then the 32-byte sha256 of all preceding bytes.
public struct BundleContainer: Sendable, Equatable {
    /// What the file is: the magic tells a bundle from a results file.
    public enum Kind: String, Sendable, CaseIterable {
        case bundle = "ROOSTBUN"
        case results = "ROOSTRES"

        var noun: String { self == .bundle ? "bundle" : "results file" }
    }

    /// The only layout this build writes and reads.
    public static let version: UInt32 = 1
    static let maxEntries = 100_000
    static let maxNameBytes = 1024

    public var kind: Kind
    public private(set) var entries: [(name: String, data: Data)]

    public init(kind: Kind) {
        self.kind = kind
        entries = []
    }

    public static func == (a: BundleContainer, b: BundleContainer) -> Bool {
        a.kind == b.kind && a.entries.map { $0.name } == b.entries.map { $0.name } && a.entries.map { $0.data } == b.entries.map { $0.data }
    }

    /// Adds an entry; a name already present is replaced (entries are looked up by name).
    public mutating func add(_ name: String, _ data: Data) {
        if let i = entries.firstIndex(where: { $0.name == name }) { entries[i].data = data } else { entries.append((name, data)) }
    }

    public func entry(_ name: String) -> Data? { entries.first { $0.name == name }?.data }

    /// The file's bytes.
    public func encoded() -> Data {
        var out = Data(kind.rawValue.utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) } }
        u32(Self.version)
        u32(UInt32(entries.count))
        for (name, data) in entries {
            let bytes = Data(name.utf8)
            u32(UInt32(bytes.count))
            out.append(bytes)
            u64(UInt64(data.count))
            out.append(data)
        }
        out.append(contentsOf: SHA256.hash(data: out))
        return out
    }

    /// Parses a file that must be of `kind`; every way it can be wrong — another
    /// kind, another version, truncated, corrupted, malformed — is an
    /// `invalidArgument` saying which, never a crash.
    public static func decode(_ data: Data, expecting kind: Kind) throws -> BundleContainer {
        let bytes = [UInt8](data)
        let noun = kind.noun
        guard bytes.count >= 8 else { throw RoostError.invalidArgument("not a Roost \(noun): only \(bytes.count) bytes") }
        let magic = String(decoding: bytes[0..<8], as: UTF8.self)
        guard magic == kind.rawValue else {
            if let other = Kind(rawValue: magic) { throw RoostError.invalidArgument("this is a Roost \(other.noun), not a \(noun)") }
            throw RoostError.invalidArgument("not a Roost \(noun) (it does not start with \(kind.rawValue))")
        }
        var reader = Reader(bytes: bytes, offset: 8)
        guard let version = reader.u32() else { throw truncated(noun) }
        guard version == Self.version else {
            throw RoostError.invalidArgument("\(noun) format version \(version); this roost reads version \(Self.version) (use a matching roost)")
        }
        guard bytes.count >= 16 + 32 else { throw truncated(noun) }
        let body = bytes.count - 32
        guard Array(SHA256.hash(data: bytes[0..<body])) == Array(bytes[body...]) else {
            throw RoostError.invalidArgument("the \(noun) is truncated or corrupt: its checksum does not match its contents")
        }
        reader.end = body
        guard let count = reader.u32(), Int(count) <= maxEntries else { throw malformed(noun, "entry count") }
        var container = BundleContainer(kind: kind)
        for _ in 0..<count {
            guard let nameLength = reader.u32(), Int(nameLength) <= maxNameBytes, let name = reader.take(Int(nameLength)),
                  let size = reader.u64(), size <= UInt64(Int.max), let content = reader.take(Int(size)) else {
                throw malformed(noun, "entry")
            }
            guard let text = String(validating: name, as: UTF8.self), !text.isEmpty else { throw malformed(noun, "entry name") }
            container.add(text, Data(content))
        }
        guard reader.offset == body else { throw malformed(noun, "trailing bytes") }
        return container
    }

    static func truncated(_ noun: String) -> RoostError { RoostError.invalidArgument("the \(noun) is truncated") }
    static func malformed(_ noun: String, _ what: String) -> RoostError { RoostError.invalidArgument("the \(noun) is malformed (bad \(what))") }

    /// Bounds-checked big-endian reads.
    struct Reader {
        let bytes: [UInt8]
        var offset: Int
        var end: Int

        init(bytes: [UInt8], offset: Int) {
            self.bytes = bytes
            self.offset = offset
            end = bytes.count
        }

        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, n <= end - offset else { return nil }
            defer { offset += n }
            return bytes[offset..<(offset + n)]
        }

        mutating func u32() -> UInt32? { take(4).map { bytes in bytes.reduce(UInt32(0)) { value, byte in value << 8 | UInt32(byte) } } }
        mutating func u64() -> UInt64? { take(8).map { bytes in bytes.reduce(UInt64(0)) { value, byte in value << 8 | UInt64(byte) } } }
    }
}
