import RoostCore

/// ONNX Concat: for each block before the axis, each input contributes one contiguous chunk.
struct ConcatKernel: Kernel {
    let parts: [(pointer: UnsafeMutablePointer<Float>, chunk: Int)]
    let y: UnsafeMutablePointer<Float>
    let outer: Int

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        y = try ops.output(0, step)
        let axis = try step.requiredInt("axis")
        let out = ops.outputShapes[0]
        guard axis >= 0, axis < max(out.count, 1) else { throw RoostError.invalidArtifact("concat \(step.origin): axis out of range") }
        outer = out.prefix(axis).reduce(1, *)
        var parts: [(UnsafeMutablePointer<Float>, Int)] = []
        for (i, p) in ops.inputs.enumerated() {
            guard let p else { continue }
            let chunk = ops.inputShapes[i].dropFirst(axis).reduce(1, *)
            guard ops.inputCount(i) == outer * chunk else { throw RoostError.invalidArtifact("concat \(step.origin): input \(i) does not match the output's outer dims") }
            parts.append((p, chunk))
        }
        guard outer * parts.reduce(0, { $0 + $1.1 }) == ops.outputCount(0) else {
            throw RoostError.invalidArtifact("concat \(step.origin): input sizes do not add up to the output")
        }
        self.parts = parts
    }

    func run() {
        var out = y
        for o in 0..<outer {
            for (p, chunk) in parts {
                out.update(from: p + o * chunk, count: chunk)
                out += chunk
            }
        }
    }
}
