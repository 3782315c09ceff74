import CRoostKernels
import Foundation
import RoostCore

/// The loop bodies of the `unary` kernel, by op name. Each is one tight loop over
/// the buffer; transcendental ops use `FastMath` where it vectorizes.
enum UnaryOps {
    typealias Body = (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

    static func body(_ step: PlanStep) throws -> Body {
        let op = try step.requiredString("op")
        if let simd = step.attributes["simd"]?.string { return try vectorBody(op, simd, step) }
        switch op {
        case "sqrt": return { x, y, n in for i in 0..<n { y[i] = x[i].squareRoot() } }
        case "erf": return { x, y, n in for i in 0..<n { y[i] = FastMath.erf(x[i]) } }
        case "exp": return { x, y, n in for i in 0..<n { y[i] = FastMath.exp(x[i]) } }
        case "log": return { x, y, n in for i in 0..<n { y[i] = logf(x[i]) } }
        case "neg": return { x, y, n in for i in 0..<n { y[i] = -x[i] } }
        case "abs": return { x, y, n in for i in 0..<n { y[i] = abs(x[i]) } }
        case "reciprocal": return { x, y, n in for i in 0..<n { y[i] = 1 / x[i] } }
        case "floor": return { x, y, n in for i in 0..<n { y[i] = x[i].rounded(.down) } }
        case "ceil": return { x, y, n in for i in 0..<n { y[i] = x[i].rounded(.up) } }
        case "trunc": return { x, y, n in for i in 0..<n { y[i] = x[i].rounded(.towardZero) } }
        case "bool": return { x, y, n in for i in 0..<n { y[i] = x[i] != 0 ? 1 : 0 } }
        case "not": return { x, y, n in for i in 0..<n { y[i] = x[i] == 0 ? 1 : 0 } }
        case "relu": return { x, y, n in for i in 0..<n { y[i] = max(x[i], 0) } }
        case "sigmoid": return { x, y, n in for i in 0..<n { y[i] = FastMath.sigmoid(x[i]) } }
        case "tanh": return { x, y, n in for i in 0..<n { y[i] = tanhf(x[i]) } }
        case "gelu": return { x, y, n in for i in 0..<n { y[i] = FastMath.gelu(x[i]) } }
        case "gelu_tanh": return { x, y, n in for i in 0..<n { y[i] = FastMath.geluTanh(x[i]) } }
        case "silu":
            let a = step.float("alpha") ?? 1
            if a == 1 { return { x, y, n in for i in 0..<n { y[i] = FastMath.silu(x[i]) } } }
            return { x, y, n in for i in 0..<n { y[i] = x[i] * FastMath.sigmoid(a * x[i]) } }
        case "hardswish": return { x, y, n in for i in 0..<n { let v = x[i]; y[i] = v * min(max(v / 6 + 0.5, 0), 1) } }
        case "leakyrelu":
            let a = step.float("alpha") ?? 0.01
            return { x, y, n in for i in 0..<n { let v = x[i]; y[i] = v >= 0 ? v : a * v } }
        case "hardsigmoid":
            let a = step.float("alpha") ?? 0.2, b = step.float("beta") ?? 0.5
            return { x, y, n in for i in 0..<n { y[i] = min(max(a * x[i] + b, 0), 1) } }
        default:
            throw RoostError.invalidArtifact("unary \(step.origin): unknown op '\(op)'")
        }
    }

    /// The ops with an 8-lane C pass (`simd` `avx2`, set by the compiler for targets with it).
    static let vectorOps: [String: roost_act] = ["sigmoid": ROOST_ACT_SIGMOID, "silu": ROOST_ACT_SILU, "gelu": ROOST_ACT_GELU]

    private static func vectorBody(_ op: String, _ simd: String, _ step: PlanStep) throws -> Body {
        guard simd == "avx2" else { throw RoostError.invalidArtifact("unary \(step.origin): SIMD family '\(simd)' is unknown to this runtime") }
        guard let act = vectorOps[op], (step.float("alpha") ?? 1) == 1 else {
            throw RoostError.invalidArtifact("unary \(step.origin): '\(op)' has no \(simd) form")
        }
        guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
            throw RoostError.invalidArtifact("unary \(step.origin): compiled for AVX2 + FMA, which this CPU lacks; compile for this machine's target")
        }
        let kind = Int32(act.rawValue)
        return { x, y, n in roost_activation_avx2(kind, x, y, n) }
    }
}
