import RoostCore

/// What every conv kernel reads from its plan step, decoded and checked once:
/// sizes, window, epilogue and the operand pointers `[X, W, B?, residual?]` → `[Y, workspace?]`.
struct ConvStep {
    let batch: Int, channels: Int, outChannels: Int, group: Int
    let window: WindowParameters
    let activation: FusedActivation
    let x: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>?, residual: UnsafeMutablePointer<Float>?
    let y: UnsafeMutablePointer<Float>
    /// The planned workspace output, when the compiler added one.
    let workspace: (pointer: UnsafeMutablePointer<Float>, count: Int)?

    var inputGroupChannels: Int { channels / group }
    var outputGroupChannels: Int { outChannels / group }

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        batch = try step.size("batch")
        channels = try step.size("channels")
        outChannels = try step.size("outChannels")
        group = try step.size("group")
        guard channels % group == 0, outChannels % group == 0 else {
            throw RoostError.invalidArtifact("\(step.origin): group \(group) does not divide \(channels) → \(outChannels) channels")
        }
        window = try WindowParameters(step)
        activation = try FusedActivation(step)
        let w = window
        x = try ops.input(0, count: batch * channels * w.inputPlane, "input X", step)
        weights = try ops.input(1, count: outChannels * (channels / group) * w.taps, "weights W", step)
        bias = try ops.optionalInput(2, count: outChannels, "bias B", step)
        let outputCount = batch * outChannels * w.outputPlane
        residual = step.attributes["residual"]?.int == 1 ? try ops.input(3, count: outputCount, "fused residual", step) : nil
        y = try ops.output(0, count: outputCount, "output Y", step)
        workspace = ops.outputs.count > 1 ? (ops.outputs[1], ops.outputShapes[1].reduce(1, *)) : nil
    }

    /// The epilogue for output channel `m` of image `n`, whose row starts at `row`
    /// (`offset` floats into the channel's plane).
    @inline(__always)
    func finish(row: UnsafeMutablePointer<Float>, count: Int, n: Int, m: Int, offset: Int = 0, includeBias: Bool = true) {
        let plane = (n * outChannels + m) * window.outputPlane + offset
        activation.apply(row, count: count, bias: includeBias ? bias?[m] ?? 0 : 0, residual: residual.map { UnsafePointer($0 + plane) })
    }
}
