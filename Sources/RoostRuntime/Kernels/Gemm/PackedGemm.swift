import CRoostKernels
import RoostCore

/// One prepared call of Roost's GEMM: shape, operand layout and epilogue fixed at
/// load time; `run` only swaps in the pointers of a batch or group.
struct PackedGemm {
    var call: roost_gemm
    let isa: roost_isa
    let context: ExecutionContext

    init(m: Int, n: Int, k: Int, isa: roost_isa, context: ExecutionContext) {
        call = roost_gemm()
        call.m = m
        call.n = n
        call.k = k
        call.ldc = n
        call.epilogue = .identity
        self.isa = isa
        self.context = context
    }

    /// A[M,K] as stored: row-major, or transposed ([K,M]).
    mutating func plainA(lda: Int, transposed: Bool) {
        call.lda = lda
        call.a_trans = transposed ? 1 : 0
    }

    mutating func plainB(ldb: Int, transposed: Bool) {
        call.ldb = ldb
        call.b_trans = transposed ? 1 : 0
    }

    /// Floats a packed A of this problem occupies (one group's weights).
    static func packedAFloats(m: Int, k: Int) -> Int { roost_packed_a_floats(m, k) }
    static func packedBFloats(k: Int, n: Int) -> Int { roost_packed_b_floats(k, n) }

    /// C = A·B with the epilogue. A/B are either plain (as configured) or packed.
    @inline(__always)
    func run(a: UnsafePointer<Float>?, aPacked: UnsafePointer<Float>?, b: UnsafePointer<Float>?, bPacked: UnsafePointer<Float>?,
             c: UnsafeMutablePointer<Float>, biasM: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil) {
        var g = call
        g.a = a
        g.a_packed = aPacked
        g.b = b
        g.b_packed = bPacked
        g.c = c
        if let biasM { g.epilogue.bias_m = biasM }
        if let residual { g.epilogue.residual = residual }
        withUnsafePointer(to: &g) { roost_gemm_run($0, isa, context.pool, context.gemmScratch) }
    }
}

extension roost_epilogue {
    static var identity: roost_epilogue {
        var e = roost_epilogue()
        e.alpha = 1
        e.lo = -.infinity
        e.hi = .infinity
        return e
    }

    /// The part of an activation the micro-kernel applies in registers (clamps,
    /// leaky relu, erf GELU); false when it must run as a pass after the product.
    /// SiLU and sigmoid take the pass although the epilogue can compute them: on a
    /// 16 → 96-channel pointwise conv at 112 × 112 (Zen 3) the pass over the output
    /// cost 0.49 ns a value, the act in the tile 0.79 (the polynomials' latency,
    /// with the tile's twelve accumulators live), 0.66 after the tile's stores.
    mutating func fuse(_ activation: FusedActivation) -> Bool {
        switch activation {
        case .none: return true
        case .gelu:
            act = Int32(ROOST_ACT_GELU.rawValue)
            return true
        case .clamp(let lo, let hi):
            self.lo = lo
            self.hi = hi
            return true
        case .leakyRelu(let alpha):
            leaky = 1
            leaky_alpha = alpha
            return true
        default: return false
        }
    }
}
