import Foundation
import RoostCore

/// The scalar meaning of the `unary` and `binary` kernel ops, for compile-time
/// evaluation. Computed in Double so integer shape arithmetic stays exact beyond 2^24;
/// the runtime kernels implement the same formulas in float32.
enum ElementwiseMath {
    static func unary(_ op: String, alpha: Double = 0, beta: Double = 0) -> (@Sendable (Double) -> Double)? {
        switch op {
        case "sqrt": { $0.squareRoot() }
        case "erf": { erf($0) }
        case "exp": { exp($0) }
        case "log": { log($0) }
        case "neg": { -$0 }
        case "abs": { abs($0) }
        case "reciprocal": { 1 / $0 }
        case "floor": { $0.rounded(.down) }
        case "ceil": { $0.rounded(.up) }
        case "trunc": { $0.rounded(.towardZero) }
        case "bool": { $0 != 0 ? 1 : 0 }
        case "not": { $0 == 0 ? 1 : 0 }
        case "relu": { max($0, 0) }
        case "sigmoid": { 1 / (1 + exp(-$0)) }
        case "silu": { $0 / (1 + exp(-alpha * $0)) }
        case "tanh": { tanh($0) }
        case "leakyrelu": { $0 >= 0 ? $0 : alpha * $0 }
        case "hardsigmoid": { min(max(alpha * $0 + beta, 0), 1) }
        case "hardswish": { $0 * min(max($0 / 6 + 0.5, 0), 1) }
        case "gelu": { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }
        case "gelu_tanh": { 0.5 * $0 * (1 + tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }
        default: nil
        }
    }

    static func binary(_ op: String) -> (@Sendable (Double, Double) -> Double)? {
        switch op {
        case "add": { $0 + $1 }
        case "sub": { $0 - $1 }
        case "mul": { $0 * $1 }
        case "div": { $0 / $1 }
        case "div_int": { ($0 / $1).rounded(.towardZero) }
        case "pow": { pow($0, $1) }
        case "fmod": { fmod($0, $1) }
        case "mod_int", "mod_float": { a, b in
            let r = fmod(a, b)
            return r != 0 && (r < 0) != (b < 0) ? r + b : r
        }
        case "equal": { $0 == $1 ? 1 : 0 }
        case "less": { $0 < $1 ? 1 : 0 }
        case "greater": { $0 > $1 ? 1 : 0 }
        case "less_equal": { $0 <= $1 ? 1 : 0 }
        case "greater_equal": { $0 >= $1 ? 1 : 0 }
        case "and": { $0 != 0 && $1 != 0 ? 1 : 0 }
        case "or": { $0 != 0 || $1 != 0 ? 1 : 0 }
        case "xor": { ($0 != 0) != ($1 != 0) ? 1 : 0 }
        default: nil
        }
    }
}

extension PlanAttribute {
    /// A float attribute, including the "inf"/"-inf"/"nan" spellings of `anyFloat`.
    var anyFloatValue: Float? {
        switch self {
        case .float(let v): v
        case .int(let v): Float(v)
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        case .string("nan"): .nan
        default: nil
        }
    }
}
