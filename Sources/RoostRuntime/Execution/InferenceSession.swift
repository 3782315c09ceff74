import Foundation
import RoostCore

/// A loaded artifact ready to run: weights and arena allocated once, kernels
/// prepared with resolved pointers. Not thread-safe; one session per worker.
public final class InferenceSession {
    public let artifact: Artifact
    private let arena: UnsafeMutablePointer<Float>
    private let weights: UnsafeMutablePointer<Float>
    private let kernels: [any Kernel]
    private let pointers: [UnsafeMutablePointer<Float>]
    /// The session's own threads: every parallel kernel runs on them.
    public let context: ExecutionContext

    public init(artifact: Artifact) throws {
        self.artifact = artifact
        let plan = artifact.plan
        // Validate before allocating: a damaged plan must neither leak nor run.
        try PlanValidator.validate(plan, weightCount: artifact.weights.count)
        // Both on huge pages where the kernel allows (see HugePages); the weights copied, not zeroed first.
        let arena = HugePages.allocateFloats(plan.arenaElements)
        let weights = artifact.weights.withUnsafeBufferPointer { HugePages.allocateFloats($0.count, copying: $0) }
        let ptrs = plan.values.map { ($0.storage == .arena ? arena : weights) + $0.offset }
        let context = ExecutionContext(threads: artifact.header.target.threads)
        var kernels: [any Kernel] = []
        do {
            for step in plan.steps {
                let ops = KernelOperands(
                    inputs: step.inputs.map { $0 < 0 ? nil : ptrs[$0] },
                    inputShapes: step.inputs.map { $0 < 0 ? [] : plan.values[$0].shape },
                    outputs: step.outputs.filter { $0 >= 0 }.map { ptrs[$0] },
                    outputShapes: step.outputs.filter { $0 >= 0 }.map { plan.values[$0].shape },
                    context: context)
                kernels.append(try KernelFactory.make(step, ops))
            }
        } catch {
            arena.deallocate()
            weights.deallocate()
            throw error
        }
        self.arena = arena
        self.weights = weights
        self.pointers = ptrs
        self.context = context
        self.kernels = kernels
    }

    deinit {
        arena.deallocate()
        weights.deallocate()
    }

    public convenience init(artifactData: Data) throws {
        try self.init(artifact: try ArtifactCodec.decode(artifactData))
    }

    public var inputShapes: [[Int]] { artifact.plan.inputs.map { artifact.plan.values[$0.valueID].shape } }
    public var outputShapes: [[Int]] { artifact.plan.outputs.map { artifact.plan.values[$0.valueID].shape } }
    public var arenaBytes: Int { artifact.plan.arenaElements * MemoryLayout<Float>.size }

    /// Copies inputs into the arena. Benchmarks call this once, then `execute()`.
    public func setInputs(_ inputs: [HostTensor]) throws {
        let plan = artifact.plan
        guard inputs.count == plan.inputs.count else {
            throw RoostError.invalidArgument("the model takes \(plan.inputs.count) input(s), got \(inputs.count)")
        }
        for (io, tensor) in zip(plan.inputs, inputs) {
            let v = plan.values[io.valueID]
            guard tensor.elementCount == v.elementCount else {
                throw RoostError.invalidArgument("input '\(io.name)' expects shape \(v.shape), got \(tensor.shape)")
            }
            tensor.data.withUnsafeBufferPointer { if let base = $0.baseAddress { pointers[io.valueID].update(from: base, count: $0.count) } }
        }
    }

    /// Runs every step once. The steady-state loop: no allocation, no lookups.
    @inline(__always)
    public func execute() {
        for kernel in kernels { kernel.run() }
    }

    /// Steps in the plan; `executeStep` runs one (for the per-step profiler).
    public var stepCount: Int { kernels.count }

    /// Runs step `index` alone; running 0..<stepCount in order is one `execute()`.
    public func executeStep(_ index: Int) { kernels[index].run() }

    public func readOutputs() -> [HostTensor] {
        artifact.plan.outputs.map { io in
            let v = artifact.plan.values[io.valueID]
            return HostTensor(shape: v.shape, data: Array(UnsafeBufferPointer(start: pointers[io.valueID], count: v.elementCount)))
        }
    }

    public func run(_ inputs: [HostTensor]) throws -> [HostTensor] {
        try setInputs(inputs)
        execute()
        return readOutputs()
    }
}
