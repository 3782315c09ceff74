import COpenBLAS
import CRoostKernels
import RoostCore

/// ONNX MatMul on `cblas_sgemm`: one call per broadcast batch, or a single call
/// when B is shared and A's batches are contiguous (batch folds into M). Optional
/// fused bias row (seeded into the output, then accumulated with beta = 1),
/// operand transposes, alpha and an activation epilogue.
final class MatMulKernel: Kernel {
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>?
    let m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool, alpha: Float
    let gemmM: Int
    let aOffsets: KernelScratch<Int>, bOffsets: KernelScratch<Int>
    let batches: Int
    let activation: FusedActivation
    /// Roost's GEMM, when the compiler chose it (B shared by every batch may arrive packed).
    let gemm: PackedGemm?
    let bPacked: Bool
    let activationAfter: Bool

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        a = try ops.input(0, step)
        b = try ops.input(1, step)
        y = try ops.output(0, step)
        bias = ops.optionalInput(2)
        m = try step.requiredInt("m")
        n = try step.requiredInt("n")
        k = try step.requiredInt("k")
        transA = step.attributes["transA"]?.int == 1
        transB = step.attributes["transB"]?.int == 1
        alpha = step.float("alpha") ?? 1
        activation = try FusedActivation(step)
        let batch = try step.requiredInts("batch"), aBatch = try step.requiredInts("aBatch"), bBatch = try step.requiredInts("bBatch")
        guard aBatch.count == batch.count, bBatch.count == batch.count, m >= 0, n >= 0, k >= 0 else {
            throw RoostError.invalidArtifact("matmul \(step.origin): inconsistent batch shapes")
        }
        let count = batch.reduce(1, *)
        let packed = try GemmImplementation.packedOperand(step)
        guard packed == nil || (packed == "b" && bBatch.allSatisfy { $0 == 1 }) else {
            throw RoostError.invalidArtifact("matmul \(step.origin): only a B shared by every batch can arrive packed")
        }
        bPacked = packed == "b"
        let bCount = bPacked ? PackedGemm.packedBFloats(k: k, n: n) : bBatch.reduce(1, *) * k * n
        guard ops.inputCount(0) == aBatch.reduce(1, *) * m * k, ops.inputCount(1) == bCount,
              ops.outputCount(0) == count * m * n, bias == nil || ops.inputCount(2) == n else {
            throw RoostError.invalidArtifact("matmul \(step.origin): operand sizes do not match m=\(m) k=\(k) n=\(n) batch \(batch)")
        }
        // Per output batch, the element offsets of its A and B matrices (broadcast dims repeat).
        var aOff: [Int] = [], bOff: [Int] = []
        var index = [Int](repeating: 0, count: batch.count)
        for _ in 0..<count {
            var ai = 0, bi = 0
            for d in 0..<batch.count {
                ai = ai * aBatch[d] + (aBatch[d] == 1 ? 0 : index[d])
                bi = bi * bBatch[d] + (bBatch[d] == 1 ? 0 : index[d])
            }
            aOff.append(ai * m * k)
            bOff.append(bi * k * n)
            var d = batch.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < batch[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        let sharedB = bBatch.allSatisfy { $0 == 1 }
        if sharedB, !transA, aBatch == batch, count > 1 {
            gemmM = count * m
            batches = 1
            aOff = [0]
            bOff = [0]
        } else {
            gemmM = m
            batches = count
        }
        aOffsets = KernelScratch(aOff)
        bOffsets = KernelScratch(bOff)
        switch try GemmImplementation(step) {
        case .openBLAS:
            guard !bPacked else { throw RoostError.invalidArtifact("matmul \(step.origin): packed weights need Roost's GEMM") }
            gemm = nil
            activationAfter = true
        case .roost(let isa):
            var call = PackedGemm(m: gemmM, n: n, k: k, isa: isa, context: ops.context)
            call.plainA(lda: transA ? m : k, transposed: transA)
            call.plainB(ldb: transB ? k : n, transposed: transB)
            call.call.epilogue.alpha = alpha
            if let bias { call.call.epilogue.bias_n = UnsafePointer(bias) }
            activationAfter = !call.call.epilogue.fuse(activation)
            gemm = call
        }
    }

    func run() {
        let rows = gemmM * batches
        if let gemm, k > 0 {
            for i in 0..<batches {
                if bPacked {
                    gemm.run(a: a + aOffsets.pointer[i], aPacked: nil, b: nil, bPacked: b, c: y + i * gemmM * n)
                } else {
                    gemm.run(a: a + aOffsets.pointer[i], aPacked: nil, b: b + bOffsets.pointer[i], bPacked: nil, c: y + i * gemmM * n)
                }
            }
            if activationAfter { activation.apply(y, count: rows * n, on: gemm.context) }
            return
        }
        var beta: Float = 0
        if let bias {
            for r in 0..<rows { (y + r * n).update(from: bias, count: n) }
            beta = 1
        }
        guard k > 0 else {
            // An empty sum: the result is the bias (or zero) through the activation.
            if bias == nil { y.update(repeating: 0, count: rows * n) }
            activation.apply(y, count: rows * n)
            return
        }
        guard rows > 0, n > 0 else { return }
        let lda = Int32(transA ? m : k), ldb = Int32(transB ? k : n)
        for i in 0..<batches {
            cblas_sgemm(
                CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(gemmM), Int32(n), Int32(k), alpha,
                a + aOffsets.pointer[i], lda, b + bOffsets.pointer[i], ldb, beta, y + i * gemmM * n, Int32(n))
        }
        activation.apply(y, count: rows * n)
    }
}
