import COpenBLAS
import RoostCore

/// ONNX Gemm on OpenBLAS `cblas_sgemm`, with the bias broadcast into the output
/// first (so BLAS accumulates onto it with beta) and an optional fused activation
/// (any `FusedActivation` kind: relu, clip, leakyrelu, …).
struct GemmKernel: Kernel {
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>?
    let y: UnsafeMutablePointer<Float>
    let m: Int, n: Int, k: Int
    let transA: Bool, transB: Bool
    let alpha: Float, beta: Float
    let biasRows: Int, biasCols: Int
    let activation: FusedActivation

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
        let aShape = ops.inputShapes[0], bShape = ops.inputShapes[1]
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
    }

    func run() {
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
