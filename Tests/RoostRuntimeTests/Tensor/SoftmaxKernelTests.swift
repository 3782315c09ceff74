import CRoostKernels
import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostRuntime

/// The AVX2 softmax row (which x86 plans pick) against the portable Swift row and a
/// Double reference: rows shorter than a vector, with a tail, and long; Softmax and
/// LogSoftmax; 1 and 2 threads; rows holding NaN or an infinity.
@Suite struct SoftmaxKernelTests {
    static var avx2: Bool { roost_isa_supported(ROOST_ISA_AVX2) != 0 }

    func artifact(_ op: String, width: Int, rows: Int, threads: Int) throws -> Artifact {
        var b = ModelBuilder(name: "softmax")
        let x = b.input("x", shape: [rows, width])
        b.node(op, [x], output: "y", attributes: ["axis": .int(-1)])
        b.output("y", shape: [])
        return try Compiler().compile(try ONNXModel(data: b.serialized()), name: "softmax",
                                      target: TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: threads))
    }

    func run(_ artifact: Artifact, portable: Bool, _ x: HostTensor) throws -> HostTensor {
        var a = artifact
        if portable { for i in a.plan.steps.indices { a.plan.steps[i].attributes["simd"] = nil } }
        return try InferenceSession(artifact: a).run([x])[0]
    }

    @Test(.enabled(if: avx2, "needs a CPU with AVX2 + FMA"), arguments: [("Softmax", 5), ("Softmax", 37), ("Softmax", 1000), ("LogSoftmax", 37)])
    func theAVX2RowMatchesThePortableRowAndTheReference(_ op: String, _ width: Int) throws {
        var x = HostTensor.seeded(shape: [300, width], seed: 9)
        x.data = x.data.map { $0 * 30 }  // wide enough that exp under- and overflows without the max shift
        for threads in [1, 2] {
            let a = try artifact(op, width: width, rows: 300, threads: threads)
            #expect(a.plan.steps.first { $0.kernel == "softmax" }?.attributes["simd"] == .string("avx2"))
            let fast = try run(a, portable: false, x), portable = try run(a, portable: true, x)
            #expect(fast.isClose(to: portable, rtol: 1e-6, atol: 1e-7), "max diff \(fast.maxAbsDifference(to: portable))")
            for r in [0, 151, 299] {
                let row = x.data[(r * width)..<((r + 1) * width)].map(Double.init)
                let m = row.max()!, sum = row.reduce(0) { $0 + Foundation.exp($1 - m) }
                for j in [0, width / 2, width - 1] {
                    let want = op == "Softmax" ? Foundation.exp(row[j] - m) / sum : row[j] - m - Foundation.log(sum)
                    let got = Double(fast.data[r * width + j])
                    #expect(abs(got - want) <= 1e-5 * max(1, abs(want)), "\(op) row \(r) col \(j): \(got) vs \(want)")
                }
            }
        }
    }

    @Test(.enabled(if: avx2, "needs a CPU with AVX2 + FMA"))
    func aRowWithNaNOrAnInfinityIsAllNaN() throws {
        let width = 19
        var x = HostTensor.seeded(shape: [3, width], seed: 10)
        x.data[3] = .nan               // row 0, in the vector part
        x.data[width + 17] = .infinity // row 1, in the tail
        let y = try run(try artifact("Softmax", width: width, rows: 3, threads: 1), portable: false, x)
        #expect(y.data[0..<width].allSatisfy { $0.isNaN })
        #expect(y.data[width..<(2 * width)].allSatisfy { $0.isNaN })
        let last = y.data[(2 * width)...]
        #expect(last.allSatisfy { $0.isFinite } && abs(last.reduce(0, +) - 1) < 1e-5)
    }
}
