import Foundation
import RoostCore

/// The loop bodies of the `unary` kernel, by op name. Each is one tight loop over
/// the buffer; transcendental ops use `FastMath` where it vectorizes.
enum UnaryOps {
    typealias Body = (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

    static func body(_ step: PlanStep) throws -> Body {
        let op = try step.requiredString("op")
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
}
