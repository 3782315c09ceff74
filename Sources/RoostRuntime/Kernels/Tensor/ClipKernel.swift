import RoostCore

/// ONNX Clip. Bounds baked in as attributes, or read from scalar inputs each run
/// when the model computes them.
struct ClipKernel: Kernel {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int
    let lo: Float, hi: Float
    let loInput: UnsafeMutablePointer<Float>?, hiInput: UnsafeMutablePointer<Float>?

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        x = try ops.input(0, step)
        y = try ops.output(0, step)
        count = ops.outputCount(0)
        guard ops.inputCount(0) == count else { throw RoostError.invalidArtifact("clip \(step.origin): element counts differ") }
        lo = step.float("min") ?? -.infinity
        hi = step.float("max") ?? .infinity
        loInput = step.attributes["min"] == nil ? ops.optionalInput(1) : nil
        hiInput = step.attributes["max"] == nil ? ops.optionalInput(2) : nil
        guard loInput == nil || ops.inputCount(1) >= 1, hiInput == nil || ops.inputCount(2) >= 1 else {
            throw RoostError.invalidArtifact("clip \(step.origin): empty bound")
        }
    }

    func run() {
        let lo = loInput?.pointee ?? lo, hi = hiInput?.pointee ?? hi
        for i in 0..<count { y[i] = min(max(x[i], lo), hi) }
    }
}
