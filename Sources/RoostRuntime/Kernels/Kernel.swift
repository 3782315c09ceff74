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
    /// The session's threads and shared scratch (kernels that parallelize themselves use them).
    public var context: ExecutionContext
    /// Intra-op threads the session runs with.
    public var threads: Int { context.threads }
}

/// Prepares one kernel from its step and resolved operands.
public typealias KernelBuilder = @Sendable (PlanStep, KernelOperands) throws -> any Kernel

/// Builds kernels by name. Each kernel family lists its builders in its own file.
public enum KernelFactory {
    static let builders: [String: KernelBuilder] = CoreKernels.builders
        .merging(TensorKernels.builders) { a, _ in a }
        .merging(CNNKernels.builders) { a, _ in a }

    public static var supported: [String] { builders.keys.sorted() }

    public static func make(_ step: PlanStep, _ ops: KernelOperands) throws -> any Kernel {
        guard let build = builders[step.kernel] else {
            throw RoostError.invalidArtifact("kernel '\(step.kernel)' (from \(step.origin)) is unknown to this runtime; supported: \(supported.joined(separator: ", "))")
        }
        return try build(step, ops)
    }
}
