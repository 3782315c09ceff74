import RoostCore

/// One prepared plan step: all pointers resolved and scratch sized at load time,
/// so `run()` touches no allocator and no dictionaries.
public protocol Kernel {
    func run()
}

/// Resolved memory for one step's operands.
public struct KernelOperands {
    public var inputs: [UnsafeMutablePointer<Float>?]
    public var inputShapes: [[Int]]
    public var outputs: [UnsafeMutablePointer<Float>]
    public var outputShapes: [[Int]]
}

/// Builds kernels by name; the set the runtime understands.
public enum KernelFactory {
    public static let supported = ["gemm", "relu", "copy"]

    public static func make(_ step: PlanStep, _ ops: KernelOperands) throws -> any Kernel {
        switch step.kernel {
        case "gemm": return try GemmKernel(step, ops)
        case "relu": return try UnaryKernel(ops, origin: step.origin) { ReluKernel.apply($0, $1, $2) }
        case "copy": return try UnaryKernel(ops, origin: step.origin) { src, dst, n in dst.update(from: src, count: n) }
        default:
            throw RoostError.invalidArtifact("kernel '\(step.kernel)' (from \(step.origin)) is unknown to this runtime; supported: \(supported.joined(separator: ", "))")
        }
    }
}
