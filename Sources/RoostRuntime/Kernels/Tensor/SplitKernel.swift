import RoostCore

/// ONNX Split: for each block before the axis, each output takes one contiguous chunk.
struct SplitKernel: Kernel {
    let x: UnsafeMutablePointer<Float>
    let parts: [(pointer: UnsafeMutablePointer<Float>, chunk: Int)]
    let outer: Int

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        x = try ops.input(0, step)
        let axis = try step.requiredInt("axis")
        let shape = ops.inputShapes[0]
        guard axis >= 0, axis < shape.count else { throw RoostError.invalidArtifact("split \(step.origin): axis out of range") }
        outer = shape.prefix(axis).reduce(1, *)
        parts = ops.outputs.enumerated().map { ($1, ops.outputShapes[$0].dropFirst(axis).reduce(1, *)) }
        guard outer * parts.reduce(0, { $0 + $1.chunk }) == ops.inputCount(0),
              parts.indices.allSatisfy({ ops.outputCount($0) == outer * parts[$0].chunk }) else {
            throw RoostError.invalidArtifact("split \(step.origin): output sizes do not add up to the input")
        }
    }

    func run() {
        var src = x
        for o in 0..<outer {
            for (p, chunk) in parts {
                (p + o * chunk).update(from: src, count: chunk)
                src += chunk
            }
        }
    }
}
