import RoostCore

/// ONNX Gather with indices computed at run time: for each outer block and index,
/// copies one inner row. Negative indices count from the end; an index still out
/// of range (the model's error, not detectable at compile time) yields zeros.
struct GatherKernel: Kernel {
    let data: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let outer: Int, axisDim: Int, inner: Int, count: Int

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        data = try ops.input(0, step)
        indices = try ops.input(1, step)
        y = try ops.output(0, step)
        outer = try step.requiredInt("outer")
        axisDim = try step.requiredInt("axisDim")
        inner = try step.requiredInt("inner")
        count = ops.inputCount(1)
        guard outer * axisDim * inner == ops.inputCount(0), outer * count * inner == ops.outputCount(0) else {
            throw RoostError.invalidArtifact("gather \(step.origin): layout does not match its operands")
        }
    }

    func run() {
        var out = y
        for o in 0..<outer {
            let block = data + o * axisDim * inner
            for j in 0..<count {
                let v = indices[j]
                var i = v.isFinite && abs(v) < 1e15 ? Int(v) : axisDim
                if i < 0 { i += axisDim }
                if i >= 0, i < axisDim { out.update(from: block + i * inner, count: inner) } else { out.update(repeating: 0, count: inner) }
                out += inner
            }
        }
    }
}
