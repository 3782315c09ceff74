import COpenBLAS
import CRoostKernels
import RoostCore

/// ONNX Gemm. On Roost's GEMM (step attribute `gemm`) B usually arrives packed
/// by the compiler, and alpha, the bias (per column, per row or a full matrix)
/// and clamp-type activations are applied to each tile in registers; M = 1 runs
/// as a GEMV over the packed panels. On OpenBLAS `cblas_sgemm`, the bias is
/// broadcast into the output first (so BLAS accumulates onto it with beta) and
/// the activation runs after.
struct GemmKernel: Kernel {
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>?
    let y: UnsafeMutablePointer<Float>
    let m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float
    let biasRows: Int, biasCols: Int
    let activation: FusedActivation
    /// Roost's GEMM, when the compiler chose it; `bPacked` says B is in panels.
    let gemm: PackedGemm?
    let bPacked: Bool
    /// An activation the micro-kernel cannot apply, run over Y afterwards.
    let activationAfter: Bool

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        func invalid(_ m: String) -> RoostError { RoostError.invalidArtifact("gemm \(step.origin): \(m)") }
        guard ops.inputs.count >= 2, let a = ops.inputs[0], let b = ops.inputs[1] else { throw invalid("missing A or B") }
        guard let y = ops.outputs.first else { throw invalid("missing output Y") }
        guard let m = step.attributes["m"]?.int, let n = step.attributes["n"]?.int, let k = step.attributes["k"]?.int else {
            throw invalid("lacks m/n/k")
        }
        self.a = a
        self.b = b
        c = ops.inputs.count > 2 ? ops.inputs[2] : nil
        self.y = y
        self.m = m
        self.n = n
        self.k = k
        transA = step.attributes["transA"]?.int == 1
        transB = step.attributes["transB"]?.int == 1
        alpha = step.attributes["alpha"]?.float ?? 1
        beta = c == nil ? 0 : (step.attributes["beta"]?.float ?? 1)
        let bias = c == nil ? [] : ops.inputShapes[2]
        let padded = Array(repeating: 1, count: max(0, 2 - bias.count)) + bias.suffix(2)
        biasRows = padded[0]
        biasCols = padded[1]
        activation = try FusedActivation(step)

        // The attributes drive raw pointer arithmetic and BLAS's Int32 arguments:
        // they must agree with the operand shapes the plan gives.
        guard (1...Int(Int32.max)).contains(m), (1...Int(Int32.max)).contains(n), (1...Int(Int32.max)).contains(k) else {
            throw invalid("m=\(m), n=\(n), k=\(k) out of range")
        }
        let aShape = ops.inputShapes[0]
        let packed = try GemmImplementation.packedOperand(step)
        guard packed == nil || packed == "b" else { throw invalid("only B can arrive packed") }
        bPacked = packed == "b"
        let bShape = bPacked ? (transB ? [n, k] : [k, n]) : ops.inputShapes[1]
        if bPacked, ops.inputShapes[1] != [PackedGemm.packedBFloats(k: k, n: n)] {
            throw invalid("packed B has shape \(ops.inputShapes[1]), expected [\(PackedGemm.packedBFloats(k: k, n: n))]")
        }
        guard aShape == (transA ? [k, m] : [m, k]), bShape == (transB ? [n, k] : [k, n]), ops.outputShapes[0] == [m, n] else {
            throw invalid("A \(aShape), B \(bShape), Y \(ops.outputShapes[0]) disagree with m=\(m), n=\(n), k=\(k), transA=\(transA), transB=\(transB)")
        }
        if c != nil {
            if let declared = step.attributes["biasShape"]?.ints, declared != bias {
                throw invalid("bias shape \(bias) differs from the planned \(declared)")
            }
            guard bias.count <= 2, biasRows == 1 || biasRows == m, biasCols == 1 || biasCols == n else {
                throw invalid("bias shape \(bias) does not broadcast to [\(m), \(n)]")
            }
        }
        switch try GemmImplementation(step) {
        case .openBLAS:
            guard !bPacked else { throw invalid("packed weights need Roost's GEMM") }
            gemm = nil
            activationAfter = true
        case .roost(let isa):
            var call = PackedGemm(m: m, n: n, k: k, isa: isa, context: ops.context)
            call.plainA(lda: transA ? m : k, transposed: transA)
            call.plainB(ldb: transB ? k : n, transposed: transB)
            call.call.epilogue.alpha = alpha
            if let c {
                // Roost's epilogue adds the bias once; a scaled bias stays on OpenBLAS.
                guard beta == 1 else { throw invalid("Roost's GEMM takes beta = 1 only") }
                switch (biasRows, biasCols) {
                case (_, n) where biasRows == 1: call.call.epilogue.bias_n = UnsafePointer(c)
                case (m, 1): call.call.epilogue.bias_m = UnsafePointer(c)
                case (m, n):
                    call.call.epilogue.residual = UnsafePointer(c)
                    call.call.epilogue.ldr = n
                default: throw invalid("bias shape \(bias) is not a row, a column or the whole output")
                }
            }
            activationAfter = !call.call.epilogue.fuse(activation)
            gemm = call
        }
    }

    func run() {
        if let gemm {
            gemm.run(a: a, aPacked: nil, b: bPacked ? nil : b, bPacked: bPacked ? b : nil, c: y)
            if activationAfter { activation.apply(y, count: m * n, on: gemm.context) }
            return
        }
        if let c, beta != 0 {
            for i in 0..<m {
                let src = c + (biasRows == 1 ? 0 : i * biasCols)
                let dst = y + i * n
                if biasCols == 1 { dst.update(repeating: src.pointee, count: n) } else { dst.update(from: src, count: n) }
            }
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, y, Int32(n))
        activation.apply(y, count: m * n)
    }
}
