import RoostCore

/// An activation applied in place after a GEMM (the fused epilogue), read from the
/// step attributes `activation`, `activationMin`, `activationMax`, `activationAlpha`.
enum GemmEpilogue: Equatable {
    case none, relu, clip(min: Float, max: Float), leakyRelu(alpha: Float), gelu, geluTanh, sigmoid, tanh, hardSwish

    init(_ step: PlanStep) throws {
        guard let name = step.attributes["activation"]?.string else { self = .none; return }
        switch name {
        case "relu": self = .relu
        case "clip": self = .clip(min: step.float("activationMin") ?? -.infinity, max: step.float("activationMax") ?? .infinity)
        case "leakyrelu": self = .leakyRelu(alpha: step.float("activationAlpha") ?? 0.01)
        case "gelu": self = .gelu
        case "gelu_tanh": self = .geluTanh
        case "sigmoid": self = .sigmoid
        case "tanh": self = .tanh
        case "hardswish": self = .hardSwish
        default: throw RoostError.invalidArtifact("\(step.kernel) \(step.origin): unknown fused activation '\(name)'")
        }
    }

    func apply(_ y: UnsafeMutablePointer<Float>, _ n: Int) {
        switch self {
        case .none: return
        case .relu: for i in 0..<n { y[i] = max(y[i], 0) }
        case .clip(let lo, let hi): for i in 0..<n { y[i] = min(max(y[i], lo), hi) }
        case .leakyRelu(let a): for i in 0..<n { let v = y[i]; y[i] = v >= 0 ? v : a * v }
        case .gelu: for i in 0..<n { y[i] = FastMath.gelu(y[i]) }
        case .geluTanh: for i in 0..<n { y[i] = FastMath.geluTanh(y[i]) }
        case .sigmoid: for i in 0..<n { y[i] = FastMath.sigmoid(y[i]) }
        case .tanh: for i in 0..<n { y[i] = FastMath.tanh(y[i]) }
        case .hardSwish: for i in 0..<n { let v = y[i]; y[i] = v * min(max(v / 6 + 0.5, 0), 1) }
        }
    }
}
