import CRoostKernels
import Foundation
import RoostCore

/// The activation a kernel applies to its own output (the compiler's
/// `ActivationFusion` decides; step attributes `activation`, `activationMin`,
/// `activationMax`, `activationAlpha`, `activationBeta`). Also the epilogue of the
/// conv kernels: bias, residual and activation in one pass over an output row.
enum FusedActivation: Sendable, Equatable {
    case none
    /// relu is clamp(0, +∞); clip is clamp(min, max) — one vector loop serves both.
    case clamp(Float, Float)
    case leakyRelu(Float)
    case sigmoid, tanh, hardSigmoid(Float, Float), hardSwish, gelu, geluTanh
    /// x · sigmoid(x) (ONNX Swish with alpha 1).
    case silu

    init(_ step: PlanStep) throws {
        let a = step.attributes
        func value(_ key: String, _ d: Float) -> Float { a[key]?.float ?? d }
        switch a["activation"]?.string {
        case nil: self = .none
        case "relu": self = .clamp(0, .infinity)
        case "clip": self = .clamp(value("activationMin", -.infinity), value("activationMax", .infinity))
        case "leakyrelu": self = .leakyRelu(value("activationAlpha", 0.01))
        case "sigmoid": self = .sigmoid
        case "tanh": self = .tanh
        case "hardsigmoid": self = .hardSigmoid(value("activationAlpha", 0.2), value("activationBeta", 0.5))
        case "hardswish": self = .hardSwish
        case "gelu": self = .gelu
        case "gelu_tanh": self = .geluTanh
        case "silu": self = .silu
        case let other?: throw RoostError.invalidArtifact("\(step.origin): fused activation '\(other)' is unknown to this runtime")
        }
    }

    /// y[i] = activation(y[i] + bias + residual[i]) for i in 0..<n; `residual` may be nil.
    @inline(__always)
    func apply(_ y: UnsafeMutablePointer<Float>, count n: Int, bias: Float = 0, residual: UnsafePointer<Float>? = nil) {
        if self == .none && bias == 0 && residual == nil { return }
        apply(from: y, to: y, count: n, bias: bias, residual: residual)
    }

    /// The activation in place over n contiguous floats on the session's threads:
    /// the pass after a product that did not take it in registers (a product split
    /// over two threads would otherwise wait on one doing the pass).
    func apply(_ y: UnsafeMutablePointer<Float>, count n: Int, on context: ExecutionContext) {
        if self == .none { return }
        let chunks = n >= Self.parallelFloats ? Swift.min(context.threads, n / (Self.parallelFloats / 4)) : 1
        guard chunks > 1 else { return apply(y, count: n) }
        let per = (n / chunks + 15) / 16 * 16
        context.parallel(chunks) { task, _ in
            let start = task * per, end = Swift.min(n, start + per)
            if start < end { apply(y + start, count: end - start) }
        }
    }

    /// Floats below which the pass stays on the calling thread (waking a worker costs more).
    static let parallelFloats = 1 << 16

    /// y[i] = activation(x[i] + bias + residual[i]): the epilogue fused with a copy
    /// out of a scratch buffer. `x` may equal `y`.
    @inline(__always)
    func apply(from x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count n: Int, bias: Float = 0, residual: UnsafePointer<Float>? = nil) {
        switch self {
        case .none:
            Self.clamped(x, y, n, bias, residual, -.infinity, .infinity)
        case .clamp(let lo, let hi):
            Self.clamped(x, y, n, bias, residual, lo, hi)
        case .leakyRelu(let alpha):
            Self.leaky(x, y, n, bias, residual, alpha)
        default:
            // One in-place loop per kind, so each vectorizes (FastMath is plain
            // arithmetic; two pointers that may alias would keep LLVM scalar).
            if let residual {
                for i in 0..<n { y[i] = x[i] + bias + residual[i] }
            } else if bias != 0 {
                for i in 0..<n { y[i] = x[i] + bias }
            } else if x != UnsafePointer(y) {
                y.update(from: x, count: n)
            }
            transcendental(y, n)
        }
    }

    /// Whether this CPU runs the 8-lane C pass (the formulas of the fused epilogues).
    private static let vectorPass = roost_isa_supported(ROOST_ISA_AVX2) != 0

    @inline(__always)
    private func transcendental(_ y: UnsafeMutablePointer<Float>, _ n: Int) {
        if Self.vectorPass, let act = epilogueAct {
            roost_activation_avx2(Int32(act.rawValue), y, y, n)
            return
        }
        switch self {
        case .sigmoid: for i in 0..<n { y[i] = FastMath.sigmoid(y[i]) }
        case .tanh: for i in 0..<n { y[i] = FastMath.tanh(y[i]) }
        case .gelu: for i in 0..<n { y[i] = FastMath.gelu(y[i]) }
        case .geluTanh: for i in 0..<n { y[i] = FastMath.geluTanh(y[i]) }
        case .silu: for i in 0..<n { y[i] = FastMath.silu(y[i]) }
        case .hardSigmoid(let alpha, let beta): for i in 0..<n { y[i] = Swift.max(0, Swift.min(1, alpha * y[i] + beta)) }
        case .hardSwish: for i in 0..<n { let v = y[i]; y[i] = v * Swift.max(0, Swift.min(1, v / 6 + 0.5)) }
        case .none, .clamp, .leakyRelu: for i in 0..<n { y[i] = scalar(y[i]) }
        }
    }

    /// The activation of one value (the transcendental kinds through FastMath,
    /// as every kernel applies them).
    func scalar(_ v: Float) -> Float {
        switch self {
        case .none: v
        case .clamp(let lo, let hi): Swift.min(Swift.max(v, lo), hi)
        case .leakyRelu(let alpha): v < 0 ? v * alpha : v
        case .sigmoid: FastMath.sigmoid(v)
        case .tanh: FastMath.tanh(v)
        case .hardSigmoid(let alpha, let beta): Swift.max(0, Swift.min(1, alpha * v + beta))
        case .hardSwish: v * Swift.max(0, Swift.min(1, v / 6 + 0.5))
        case .gelu: FastMath.gelu(v)
        case .geluTanh: FastMath.geluTanh(v)
        case .silu: FastMath.silu(v)
        }
    }

    /// The C form of this activation (roost_act: the epilogue's last step and the
    /// 8-lane pass) for the kinds that have one; nil for the rest.
    var epilogueAct: roost_act? {
        switch self {
        case .gelu: ROOST_ACT_GELU
        case .silu: ROOST_ACT_SILU
        case .sigmoid: ROOST_ACT_SIGMOID
        default: nil
        }
    }

    // The loops below are plain scalar code on purpose: LLVM vectorizes them
    // (compare + select), while the generic SIMD helpers (`pointwiseMax`,
    // `clamped`) compile to out-of-line per-lane loops.

    @inline(__always)
    private static func clamped(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ bias: Float,
                                _ residual: UnsafePointer<Float>?, _ lo: Float, _ hi: Float) {
        if let r = residual {
            for i in 0..<n {
                let v = x[i] + bias + r[i]
                let low = v < lo ? lo : v
                y[i] = low > hi ? hi : low
            }
        } else {
            for i in 0..<n {
                let v = x[i] + bias
                let low = v < lo ? lo : v
                y[i] = low > hi ? hi : low
            }
        }
    }

    @inline(__always)
    private static func leaky(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ bias: Float,
                              _ residual: UnsafePointer<Float>?, _ alpha: Float) {
        if let r = residual {
            for i in 0..<n {
                let v = x[i] + bias + r[i]
                y[i] = v < 0 ? v * alpha : v
            }
        } else {
            for i in 0..<n {
                let v = x[i] + bias
                y[i] = v < 0 ? v * alpha : v
            }
        }
    }
}
