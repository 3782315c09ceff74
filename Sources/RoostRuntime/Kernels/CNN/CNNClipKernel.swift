import RoostCore

/// `cnn.clip`: y = min(max(x, min), max) with constant bounds (attributes `min`,
/// `max`; absent = unbounded) — an unfused ReLU6, on the epilogue's vector loop.
struct CNNClipKernel: Kernel {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let count: Int
    let clamp: FusedActivation

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        count = ops.outputShapes.first?.reduce(1, *) ?? 0
        x = try ops.checkedInput(0, count: count, "input", step)
        y = try ops.checkedOutput(0, count: count, "output", step)
        clamp = .clamp(step.attributes["min"]?.float ?? -.infinity, step.attributes["max"]?.float ?? .infinity)
    }

    func run() {
        if x != y { y.update(from: x, count: count) }
        clamp.apply(y, count: count)
    }
}
