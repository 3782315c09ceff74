import Foundation
import Testing
@testable import RoostCore

@Suite struct ArtifactCodecTests {
    func sample() -> Artifact {
        let plan = ExecutionPlan(
            values: [PlanValue(id: 0, name: "x", shape: [1, 2], storage: .arena, offset: 0),
                     PlanValue(id: 1, name: "w", shape: [2, 2], storage: .weights, offset: 0)],
            inputs: [PlanIO(name: "x", valueID: 0)], outputs: [PlanIO(name: "x", valueID: 0)],
            steps: [PlanStep(kernel: "relu", inputs: [0], outputs: [0], attributes: ["k": .int(3)], origin: "n")],
            arenaElements: 16)
        let header = ArtifactHeader(compilerVersion: "test", target: TargetSpec(isa: .x86_64_avx2, blasCoreType: "Haswell", threads: 1),
                                    modelSHA256: String(repeating: "a", count: 64), modelName: "m")
        return Artifact(header: header, plan: plan, weights: [1, 2, 3, 4])
    }

    @Test func roundTripsAndIsDeterministic() throws {
        let a = sample()
        let bytes = ArtifactCodec.encode(a)
        #expect(bytes == ArtifactCodec.encode(a))
        #expect(bytes.prefix(8) == Data("ROOSTART".utf8))
        #expect(try ArtifactCodec.decode(bytes) == a)
        #expect(try ArtifactCodec.decodeHeader(bytes).targetSignature == a.header.target.signature)
    }

    /// The content address comes from the encoder's own hashing pass; it must be
    /// the sha256 of the bytes as written.
    @Test func theAddressIsTheSHA256OfTheBytes() {
        let a = sample()
        let (bytes, sha256) = ArtifactCodec.encodeAddressed(a)
        #expect(bytes == ArtifactCodec.encode(a))
        #expect(sha256 == Digest.sha256Hex(of: bytes))
    }

    /// `roost compile` streams the weights to the file: same bytes, same address.
    @Test func writingToAFileGivesTheEncodedBytesAndTheirAddress() throws {
        let a = sample()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("roost-codec-\(UUID().uuidString).roost")
        defer { try? FileManager.default.removeItem(at: url) }
        for weights in [a.weights, (0..<2_200_000).map { Float($0 % 977) }] { // one chunk, then two (8 MiB each)
            let artifact = Artifact(header: a.header, plan: a.plan, weights: weights)
            let sha256 = try ArtifactCodec.write(artifact, to: url)
            let (bytes, expected) = ArtifactCodec.encodeAddressed(artifact)
            #expect(try Data(contentsOf: url) == bytes)
            #expect(sha256 == expected)
        }
        #expect(throws: RoostError.self) { try ArtifactCodec.write(a, to: URL(fileURLWithPath: "/no/such/dir/a.roost")) }
    }

    @Test func refusesTruncatedCorruptAndForeignFiles() throws {
        let bytes = ArtifactCodec.encode(sample())
        for cut in [0, 4, 11, bytes.count / 2, bytes.count - 1] {
            #expect(throws: RoostError.self) { try ArtifactCodec.decode(bytes.prefix(cut)) }
        }
        for position in stride(from: 12, to: bytes.count, by: 7) {
            var flipped = bytes
            flipped[position] ^= 0x10
            #expect(throws: RoostError.self) { try ArtifactCodec.decode(flipped) }
        }
        #expect(throws: RoostError.self) { try ArtifactCodec.decode(Data("ONNXNOTROOST-and-more-bytes-to-fill-the-header".utf8)) }
    }

    @Test func refusesOtherFormatVersions() throws {
        var bytes = ArtifactCodec.encode(sample())
        bytes[8] = 99
        #expect {
            try ArtifactCodec.decode(bytes)
        } throws: { error in
            "\(error)".contains("format version 99")
        }
    }
}
