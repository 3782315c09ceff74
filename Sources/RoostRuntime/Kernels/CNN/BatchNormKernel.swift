import RoostCore

/// Inference BatchNormalization not folded into a conv: per channel
/// a = scale/√(var + ε), y = x·a + (B − mean·a). The per-channel factors are
/// recomputed each run (C values) because the statistics may be run-time values.
struct BatchNormKernel: Kernel {
    let batch: Int, channels: Int, planeSize: Int
    let epsilon: Float
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let scale: UnsafeMutablePointer<Float>, shift: UnsafeMutablePointer<Float>
    let mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        batch = try step.positiveSize("batch")
        channels = try step.positiveSize("channels")
        planeSize = try step.positiveSize("planeSize")
        epsilon = step.attributes["epsilon"]?.float ?? 1e-5
        let n = try step.elements(batch, channels, planeSize)
        x = try ops.checkedInput(0, count: n, "input X", step)
        scale = try ops.checkedInput(1, count: channels, "scale", step)
        shift = try ops.checkedInput(2, count: channels, "B", step)
        mean = try ops.checkedInput(3, count: channels, "input_mean", step)
        variance = try ops.checkedInput(4, count: channels, "input_var", step)
        y = try ops.checkedOutput(0, count: n, "output Y", step)
    }

    func run() {
        for c in 0..<channels {
            let a = scale[c] / (variance[c] + epsilon).squareRoot()
            let b = shift[c] - mean[c] * a
            for n in 0..<batch {
                let offset = (n * channels + c) * planeSize
                let src = x + offset, dst = y + offset
                for i in 0..<planeSize { dst[i] = src[i] * a + b }
            }
        }
    }
}
