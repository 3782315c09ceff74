import Crypto
import Foundation

/// Reads and writes the artifact binary format; refuses anything damaged.
public enum ArtifactCodec {
    public static func encode(_ artifact: Artifact) -> Data { encodeAddressed(artifact).bytes }

    /// The encoded artifact and its content address (the sha256 of all its bytes),
    /// from one pass of the hasher: the trailer is the body's digest, so the file's
    /// digest continues the body's.
    public static func encodeAddressed(_ artifact: Artifact) -> (bytes: Data, sha256: String) {
        var out = prefix(artifact, reserving: artifact.weights.count * 4 + 32)
        artifact.weights.withUnsafeBytes { out.append(contentsOf: $0) }
        var hasher = SHA256()
        hasher.update(data: out)
        let bodyDigest = Data(hasher.finalize())
        hasher.update(data: bodyDigest)
        out.append(bodyDigest)
        return (out, Digest.hex(hasher.finalize()))
    }

    /// Writes the artifact to `url` and returns its content address, the same
    /// bytes and digest as `encodeAddressed` without building the file in
    /// memory first: the weights go from the artifact's own buffer to the file,
    /// a chunk at a time, hashed on the way.
    @discardableResult
    public static func write(_ artifact: Artifact, to url: URL) throws -> String {
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = try? FileHandle(forWritingTo: url) else {
            throw RoostError.io("cannot write \(url.path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            let head = prefix(artifact, reserving: 0)
            hasher.update(data: head)
            try handle.write(contentsOf: head)
            // The weights are hashed and written at the same time (each a whole pass over them).
            var written: Result<Void, any Error> = .success(())
            artifact.weights.withUnsafeBytes { raw in
                Overlap.run({ hasher.update(bufferPointer: raw) }, {
                    written = Result {
                        let chunk = 8 << 20
                        var offset = 0
                        while offset < raw.count {
                            let piece = UnsafeRawBufferPointer(rebasing: raw[offset..<min(raw.count, offset + chunk)])
                            try handle.write(contentsOf: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: piece.baseAddress!),
                                                              count: piece.count, deallocator: .none))
                            offset += piece.count
                        }
                    }
                })
            }
            try written.get()
            let bodyDigest = Data(hasher.finalize())
            hasher.update(data: bodyDigest)
            try handle.write(contentsOf: bodyDigest)
        } catch {
            throw RoostError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
        return Digest.hex(hasher.finalize())
    }

    /// Everything before the weight values: magic, version, header, plan, padding
    /// to a 64-byte boundary, the weight count.
    private static func prefix(_ artifact: Artifact, reserving extra: Int) -> Data {
        let header = CanonicalJSON.encode(artifact.header)
        let plan = CanonicalJSON.encode(artifact.plan)
        var out = Data()
        // One allocation for the whole file: growing it would copy the weights again and again.
        out.reserveCapacity(Artifact.magic.count + 4 + 4 + header.count + 8 + plan.count + 64 + 8 + extra)
        out.append(Artifact.magic)
        out.appendLE(Artifact.formatVersion)
        out.appendLE(UInt32(header.count))
        out.append(header)
        out.appendLE(UInt64(plan.count))
        out.append(plan)
        let pad = (64 - (out.count + 8) % 64) % 64
        out.append(Data(count: pad))
        out.appendLE(UInt64(artifact.weights.count))
        return out
    }

    /// Reads only the header, for cache and target checks without loading weights.
    public static func decodeHeader(_ data: Data) throws -> ArtifactHeader {
        var r = Reader(data: data)
        try readPreamble(&r)
        return try readHeader(&r)
    }

    public static func decode(_ data: Data) throws -> Artifact {
        guard data.count >= Artifact.magic.count + 4 + 32 else { throw RoostError.invalidArtifact("truncated (\(data.count) bytes)") }
        var r = Reader(data: data)
        try readPreamble(&r)
        let body = data.prefix(data.count - 32)
        let stored = data.suffix(32)
        guard Data(hexSHA256: Digest.sha256Hex(of: body)) == stored else {
            throw RoostError.invalidArtifact("checksum mismatch: the file is truncated or corrupt")
        }
        let header = try readHeader(&r)
        let planLength = try r.readLE(UInt64.self)
        let planData = try r.read(count: try checkedCount(planLength, r))
        let plan: ExecutionPlan
        do { plan = try CanonicalJSON.decode(ExecutionPlan.self, from: planData) } catch {
            throw RoostError.invalidArtifact("plan does not decode: \(error)")
        }
        let pad = (64 - (r.offset + 8) % 64) % 64
        _ = try r.read(count: pad)
        let weightCount = try r.readLE(UInt64.self)
        let (weightByteCount, overflow) = weightCount.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw RoostError.invalidArtifact("weight count \(weightCount) is out of range") }
        let weightBytes = try r.read(count: try checkedCount(weightByteCount, r))
        guard r.offset == data.count - 32 else { throw RoostError.invalidArtifact("unexpected trailing bytes") }
        let weights = weightBytes.withUnsafeBytes { raw in
            HugePages.floats(count: raw.count / 4) { UnsafeMutableRawBufferPointer($0).copyMemory(from: raw) }
        }
        return Artifact(header: header, plan: plan, weights: weights)
    }

    private static func readPreamble(_ r: inout Reader) throws {
        guard let magic = try? r.read(count: Artifact.magic.count), magic == Artifact.magic else {
            throw RoostError.invalidArtifact("not a Roost artifact (bad magic)")
        }
        let version = try r.readLE(UInt32.self)
        guard version == Artifact.formatVersion else {
            throw RoostError.invalidArtifact("format version \(version) is not supported (this build reads version \(Artifact.formatVersion)); recompile the model")
        }
    }

    private static func readHeader(_ r: inout Reader) throws -> ArtifactHeader {
        let length = try r.readLE(UInt32.self)
        let data = try r.read(count: try checkedCount(UInt64(length), r))
        do { return try CanonicalJSON.decode(ArtifactHeader.self, from: data) } catch {
            throw RoostError.invalidArtifact("header does not decode: \(error)")
        }
    }

    private static func checkedCount(_ n: UInt64, _ r: Reader) throws -> Int {
        guard n <= UInt64(r.remaining) else { throw RoostError.invalidArtifact("truncated: a section claims \(n) bytes, \(r.remaining) remain") }
        return Int(n)
    }

    struct Reader {
        let data: Data
        var offset = 0
        init(data: Data) { self.data = data }
        var remaining: Int { data.count - offset }

        mutating func read(count: Int) throws -> Data {
            guard count >= 0, count <= remaining else { throw RoostError.invalidArtifact("truncated at byte \(offset)") }
            let start = data.startIndex + offset
            offset += count
            return data.subdata(in: start..<(start + count))
        }

        mutating func readLE<T: FixedWidthInteger>(_: T.Type) throws -> T {
            let bytes = try read(count: MemoryLayout<T>.size)
            return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
        }
    }
}

extension Data {
    mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    init(hexSHA256 hex: String) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() {
            bytes.append(UInt8(String([a, b]), radix: 16) ?? 0)
        }
        self.init(bytes)
    }
}
