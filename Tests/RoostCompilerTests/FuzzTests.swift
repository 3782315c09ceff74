import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
import RoostRuntime
import RoostTestSupport

/// Seeded, bounded robustness tests: damaged model and artifact bytes must end
/// in a thrown `RoostError` or a successful result, never a trap. A trap kills
/// the test process, so reaching the end of a test is the property; the counts
/// check that the mutations reached both outcomes.
@Suite struct FuzzTests {
    let target = TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: 1)

    /// SplitMix64: tiny, seedable, the same sequence on every platform.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Outcomes per mutation kind, printed so a run shows what was exercised.
    struct Tally: CustomStringConvertible {
        var threw = 0, succeeded = 0
        var total: Int { threw + succeeded }
        var description: String { "\(total) cases: \(threw) threw, \(succeeded) succeeded" }
    }

    /// A small model touching every lowering and pass: Gemm+Relu (fused), Identity, Flatten, Gemm with bias.
    static func smallModel() throws -> Data {
        var b = ModelBuilder(name: "fuzz")
        let x = b.input("x", shape: [2, 6])
        let w1 = b.initializer("w1", HostTensor.seeded(shape: [5, 6], seed: 1))
        let b1 = b.initializer("b1", HostTensor.seeded(shape: [5], seed: 2))
        let h = b.node("Gemm", [x, w1, b1], attributes: ["transB": .int(1), "alpha": .float(0.5)])
        let r = b.node("Relu", [h])
        let i = b.node("Identity", [r])
        let f = b.node("Flatten", [i], attributes: ["axis": .int(1)])
        let w2 = b.initializer("w2", HostTensor.seeded(shape: [5, 3], seed: 3))
        let b2 = b.initializer("b2", HostTensor.seeded(shape: [2, 1], seed: 4))
        b.node("Gemm", [f, w2, b2], output: "y", attributes: ["beta": .float(2)])
        b.output("y", shape: [2, 3])
        return try b.serialized()
    }

    // MARK: mutations

    static func truncations(of data: Data, count: Int, edge: Int = 64, _ rng: inout SeededGenerator) -> [Data] {
        let n = data.count
        // Every length near both ends (headers, checksums), then random lengths.
        var lengths = Set((0..<min(n, edge)).map { $0 } + (max(0, n - edge)..<n).map { $0 })
        while lengths.count < min(n, count) { lengths.insert(Int.random(in: 0..<n, using: &rng)) }
        return lengths.sorted().map { data.prefix($0) }
    }

    /// A random byte offset in `0..<n`; with `window`, within `window` bytes of
    /// either end, where a large model keeps its structure (nodes first, graph
    /// inputs and outputs last) rather than its weights.
    static func position(_ n: Int, window: Int?, _ rng: inout SeededGenerator) -> Int {
        guard let window, n > 2 * window else { return Int.random(in: 0..<n, using: &rng) }
        let i = Int.random(in: 0..<(2 * window), using: &rng)
        return i < window ? i : n - 2 * window + i
    }

    static func bitFlips(of data: Data, bits: ClosedRange<Int>, window: Int? = nil, _ rng: inout SeededGenerator) -> Data {
        var d = data
        for _ in 0..<Int.random(in: bits, using: &rng) {
            let i = d.startIndex + position(d.count, window: window, &rng)
            d[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
        }
        return d
    }

    /// Replaces a random range with another range of the same data, random bytes, or nothing.
    static func splice(of data: Data, window: Int? = nil, _ rng: inout SeededGenerator) -> Data {
        let bytes = [UInt8](data)
        let n = bytes.count
        let a = n == 0 ? 0 : position(n, window: window, &rng)
        let cut = min(n - a, Int.random(in: 0...16, using: &rng))
        let insert: [UInt8]
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            let b = n == 0 ? 0 : position(n, window: window, &rng)
            insert = Array(bytes[b..<min(n, b + Int.random(in: 1...32, using: &rng))])
        case 1: insert = (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        default: insert = []
        }
        return Data(bytes[..<a] + insert + bytes[(a + cut)...])
    }

    // MARK: model side

    /// Decode, compile and, when the plan is small, run. Returns whether it succeeded.
    func exerciseModel(_ data: Data) -> Bool {
        do {
            let model = try ONNXModel(data: data)
            let artifact = try Compiler().compile(model, name: "fuzz", target: target)
            if artifact.plan.arenaElements <= 1 << 22 { try runOnce(artifact) }
            return true
        } catch is RoostError {
            return false
        } catch {
            Issue.record("model mutant threw a non-RoostError: \(error)")
            return false
        }
    }

    func fuzzModel(_ original: Data, seed: UInt64, truncations: Int, edge: Int = 64, window: Int? = nil, flips: Int, splices: Int) -> [String: Tally] {
        var rng = SeededGenerator(seed: seed)
        var tallies: [String: Tally] = [:]
        func record(_ kind: String, _ ok: Bool) {
            if ok { tallies[kind, default: Tally()].succeeded += 1 } else { tallies[kind, default: Tally()].threw += 1 }
        }
        #expect(exerciseModel(original), "the unmutated model must compile and run")
        for d in Self.truncations(of: original, count: truncations, edge: edge, &rng) { record("truncation", exerciseModel(d)) }
        for i in 0..<flips {
            let bits = i % 2 == 0 ? 1...1 : 2...8
            record(i % 2 == 0 ? "1-bit flip" : "multi-bit flip", exerciseModel(Self.bitFlips(of: original, bits: bits, window: window, &rng)))
        }
        for _ in 0..<splices { record("splice", exerciseModel(Self.splice(of: original, window: window, &rng))) }
        return tallies
    }

    @Test func damagedModelsThrowOrCompile() throws {
        let tallies = fuzzModel(try Self.smallModel(), seed: 0x5EED_0001, truncations: 2_000, flips: 3_000, splices: 1_500)
        print("model fuzz (small model): \(tallies.sorted { $0.key < $1.key })")
        for kind in ["truncation", "1-bit flip", "multi-bit flip", "splice"] {
            #expect(tallies[kind]?.threw ?? 0 > 0, "\(kind) never threw")
        }
        #expect(tallies["1-bit flip"]?.succeeded ?? 0 > 0, "no 1-bit flip compiled: flips never reached the weights")
    }

    @Test func damagedReferenceModelsThrowOrCompile() throws {
        let dir = try TestEnvironment.temporaryDirectory("roost-fuzz")
        defer { try? FileManager.default.removeItem(at: dir) }
        var models = [try Data(contentsOf: ReferenceSuite.write(ReferenceSuite.models[0], to: dir, seed: 7))]
        if let mlp = TestEnvironment.sharedModel("mlp")?.appendingPathComponent("model.onnx"),
           let data = try? Data(contentsOf: mlp) { models.append(data) }
        for (i, data) in models.enumerated() {
            // 2.6 MB models (~12 ms a case in debug): mutations aimed at the first
            // and last 4 KB, where the nodes and graph inputs/outputs are.
            let tallies = fuzzModel(data, seed: 0x5EED_0100 + UInt64(i), truncations: 60, edge: 24, window: 4096, flips: 120, splices: 40)
            print("model fuzz (reference model \(i), \(data.count) bytes): \(tallies.sorted { $0.key < $1.key })")
            for kind in ["truncation", "1-bit flip", "multi-bit flip", "splice"] {
                #expect(tallies[kind]?.threw ?? 0 > 0, "\(kind) never threw")
            }
        }
    }

    // MARK: artifact side

    func runOnce(_ artifact: Artifact) throws {
        let session = try InferenceSession(artifact: artifact)
        let inputs = session.inputShapes.enumerated().map { HostTensor.seeded(shape: $0.element, seed: UInt64($0.offset)) }
        _ = try session.run(inputs)
    }

    /// Decode, load and run once.
    func exerciseArtifact(_ data: Data) -> Bool {
        do {
            try runOnce(try ArtifactCodec.decode(data))
            return true
        } catch is RoostError {
            return false
        } catch {
            Issue.record("artifact mutant threw a non-RoostError: \(error)")
            return false
        }
    }

    /// Recomputes the trailing sha256, so a mutation gets past the checksum and
    /// reaches the header, plan and weight decoding and the runtime's checks.
    static func resealed(_ data: Data) -> Data {
        guard data.count >= 32 else { return data }
        let body = data.prefix(data.count - 32)
        let hex = Array(Digest.sha256Hex(of: body).utf8)
        let digest = stride(from: 0, to: hex.count, by: 2).map { UInt8(String(decoding: hex[$0...($0 + 1)], as: UTF8.self), radix: 16) ?? 0 }
        return body + Data(digest)
    }

    /// One structural change to a decoded artifact: the kinds of inconsistency a
    /// buggy compiler or a hand-edited file produces.
    static func mutatePlan(_ artifact: inout Artifact, _ rng: inout SeededGenerator) {
        let interesting = [-1 << 62, -17, -1, 0, 1, 2, 3, 5, 6, 15, 16, 17, 64, 1 << 20, 1 << 31, 1 << 40, 1 << 41, Int.max, Int.min]
        func value() -> Int { Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : Int.random(in: -4...40, using: &rng) }
        var plan = artifact.plan
        let v = plan.values.isEmpty ? 0 : Int.random(in: 0..<plan.values.count, using: &rng)
        let s = plan.steps.isEmpty ? 0 : Int.random(in: 0..<plan.steps.count, using: &rng)
        switch Int.random(in: 0..<14, using: &rng) {
        case 0 where !plan.values.isEmpty && !plan.values[v].shape.isEmpty:
            plan.values[v].shape[Int.random(in: 0..<plan.values[v].shape.count, using: &rng)] = value()
        case 1 where !plan.values.isEmpty: plan.values[v].shape.append(value())
        case 2 where !plan.values.isEmpty: plan.values[v].offset = value()
        case 3 where !plan.values.isEmpty: plan.values[v].storage = plan.values[v].storage == .arena ? .weights : .arena
        case 4 where !plan.values.isEmpty: plan.values[v].id = value()
        case 5: plan.arenaElements = value()
        case 6 where !plan.steps.isEmpty && !plan.steps[s].inputs.isEmpty:
            plan.steps[s].inputs[Int.random(in: 0..<plan.steps[s].inputs.count, using: &rng)] = value()
        case 7 where !plan.steps.isEmpty:
            if plan.steps[s].outputs.isEmpty || Bool.random(using: &rng) { plan.steps[s].outputs.append(value()) } else { plan.steps[s].outputs.removeLast() }
        case 8 where !plan.steps.isEmpty:
            let key = ["m", "n", "k", "transA", "transB"].randomElement(using: &rng)!
            plan.steps[s].attributes[key] = Bool.random(using: &rng) ? .int(value()) : nil
        case 9 where !plan.steps.isEmpty:
            plan.steps[s].attributes["biasShape"] = .ints((0..<Int.random(in: 0...3, using: &rng)).map { _ in value() })
        case 10 where !plan.steps.isEmpty:
            plan.steps[s].kernel = ["gemm", "relu", "copy", "", "teleport"].randomElement(using: &rng)!
        case 11 where !plan.steps.isEmpty && !plan.steps[s].inputs.isEmpty: plan.steps[s].inputs.removeLast()
        case 12:
            if Bool.random(using: &rng), !plan.inputs.isEmpty { plan.inputs[0].valueID = value() } else if !plan.outputs.isEmpty { plan.outputs[0].valueID = value() }
        default:
            if Bool.random(using: &rng) {
                artifact.weights.removeLast(min(artifact.weights.count, Int.random(in: 1...64, using: &rng)))
            } else {
                artifact.header.target.threads = value()
            }
        }
        artifact.plan = plan
    }

    @Test func damagedArtifactsThrowOrRun() throws {
        var rng = SeededGenerator(seed: 0x5EED_0002)
        let artifact = try Compiler().compile(try ONNXModel(data: Self.smallModel()), name: "fuzz", target: target)
        let original = ArtifactCodec.encode(artifact)
        #expect(exerciseArtifact(original), "the unmutated artifact must load and run")
        var tallies: [String: Tally] = [:]
        func record(_ kind: String, _ ok: Bool) {
            if ok { tallies[kind, default: Tally()].succeeded += 1 } else { tallies[kind, default: Tally()].threw += 1 }
        }
        for d in Self.truncations(of: original, count: 300, &rng) { record("truncation", exerciseArtifact(d)) }
        for i in 0..<600 { record("bit flip", exerciseArtifact(Self.bitFlips(of: original, bits: i % 2 == 0 ? 1...1 : 2...8, &rng))) }
        for _ in 0..<300 { record("splice", exerciseArtifact(Self.splice(of: original, &rng))) }
        // Past the checksum: the decoder and runtime checks themselves.
        let body = original.count - 32
        for i in 0..<2_000 {
            var d = original
            for _ in 0..<(i % 2 == 0 ? 1 : Int.random(in: 2...6, using: &rng)) {
                d[Int.random(in: 0..<body, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            }
            record("resealed bit flip", exerciseArtifact(Self.resealed(d)))
        }
        for _ in 0..<1_000 { record("resealed splice", exerciseArtifact(Self.resealed(Self.splice(of: original.prefix(body), &rng) + Data(count: 32)))) }
        for _ in 0..<3_000 {
            var mutated = artifact
            for _ in 0..<Int.random(in: 1...2, using: &rng) { Self.mutatePlan(&mutated, &rng) }
            record("plan mutation", exerciseArtifact(ArtifactCodec.encode(mutated)))
        }
        print("artifact fuzz: \(tallies.sorted { $0.key < $1.key })")
        for kind in ["truncation", "bit flip", "splice", "resealed bit flip", "resealed splice", "plan mutation"] {
            #expect(tallies[kind]?.threw ?? 0 > 0, "\(kind) never threw")
        }
        #expect(tallies["resealed bit flip"]?.succeeded ?? 0 > 0)
        #expect(tallies["plan mutation"]?.succeeded ?? 0 > 0)
    }

    // MARK: hand-made hostile models (each of these trapped before the compiler checked it)

    func compile(_ proto: Onnx_ModelProto) throws -> Artifact {
        try Compiler().compile(try ONNXModel(data: proto.serializedData()), name: "hostile", target: target)
    }

    @Test func operatorWithoutInputsOrOutputsIsAnError() throws {
        var b = ModelBuilder(name: "t")
        let x = b.input("x", shape: [2, 3])
        let w = b.initializer("w", HostTensor.seeded(shape: [3, 3], seed: 1))
        let h = b.node("Gemm", [x, w])
        b.node("Relu", [h], output: "y")
        b.output("y", shape: [2, 3])
        var noInputs = b.build()
        noInputs.graph.node[1].input = []
        #expect(throws: RoostError.self) { try compile(noInputs) }
        var noOutputs = b.build()
        noOutputs.graph.node[1].output = []
        #expect(throws: RoostError.self) { try compile(noOutputs) }
        var flatten = ModelBuilder(name: "t")
        flatten.node("Flatten", [], output: "y")
        flatten.output("y", shape: [1, 1])
        #expect(throws: RoostError.self) { try compile(flatten.build()) }
    }

    @Test func overflowingShapesAreErrors() throws {
        var b = ModelBuilder(name: "t")
        let x = b.input("x", shape: [1 << 31, 1 << 31, 4])
        b.node("Flatten", [x], output: "y", attributes: ["axis": .int(1)])
        b.output("y", shape: [1, 1])
        #expect(throws: RoostError.self) { try compile(b.build()) }

        var t = ModelBuilder(name: "t")
        let i = t.input("x", shape: [1, 2])
        var proto = t.build()
        var huge = TensorProtoCodec.encode(HostTensor(shape: [1], data: [1]), name: "w")
        huge.dims = [1 << 40, 1 << 40]
        proto.graph.initializer.append(huge)
        var node = Onnx_NodeProto()
        node.opType = "Gemm"
        node.input = [i, "w"]
        node.output = ["y"]
        proto.graph.node.append(node)
        #expect(throws: RoostError.self) { try compile(proto) }
        #expect(throws: RoostError.self) { try TensorProtoCodec.decode(huge) }
    }

    @Test func emptyAndNegativeInputDimensionsAreErrors() throws {
        for dim in [0, -3] {
            var b = ModelBuilder(name: "t")
            let x = b.input("x", shape: [dim, 4])
            b.node("Relu", [x], output: "y")
            b.output("y", shape: [dim, 4])
            #expect(throws: RoostError.self) { try compile(b.build()) }
        }
    }

    /// ONNX reads any nonzero transA/transB as true; the kernel must agree.
    @Test func nonzeroTransposeFlagsMeanTranspose() throws {
        func run(transA: Int) throws -> HostTensor {
            var b = ModelBuilder(name: "t")
            let x = b.input("x", shape: [3, 2])
            let w = b.initializer("w", HostTensor.seeded(shape: [3, 4], seed: 5))
            b.node("Gemm", [x, w], output: "y", attributes: ["transA": .int(transA)])
            b.output("y", shape: [2, 4])
            let session = try InferenceSession(artifact: compile(b.build()))
            return try session.run([HostTensor.seeded(shape: [3, 2], seed: 6)])[0]
        }
        #expect(try run(transA: 2) == run(transA: 1))
    }

    /// A non-finite Gemm alpha is legal ONNX; its plan must survive the artifact codec.
    @Test func nonFiniteAttributesSurviveTheArtifactCodec() throws {
        var b = ModelBuilder(name: "t")
        let x = b.input("x", shape: [1, 2])
        let w = b.initializer("w", HostTensor(shape: [2, 2], data: [1, 1, 1, 1]))
        b.node("Gemm", [x, w], output: "y", attributes: ["alpha": .float(.infinity)])
        b.output("y", shape: [1, 2])
        let artifact = try compile(b.build())
        let decoded = try ArtifactCodec.decode(ArtifactCodec.encode(artifact))
        #expect(decoded.plan.steps[0].attributes["alpha"] == .float(.infinity))
        let y = try InferenceSession(artifact: decoded).run([HostTensor(shape: [1, 2], data: [1, 2])])[0]
        #expect(y.data == [.infinity, .infinity])
    }
}
