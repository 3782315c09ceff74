import CRoostKernels
import RoostCore

/// What every conv kernel reads from its plan step, decoded and checked once:
/// sizes, window, epilogue and the operand pointers `[X, W, B?, residual?]` → `[Y, workspace?]`.
struct ConvStep {
    let batch: Int, channels: Int, outChannels: Int, group: Int
    let window: WindowParameters
    /// How X (and Y, with the residual) are laid out; NCHW unless the compiler chose channels-last.
    let inputLayout: TensorLayout, outputLayout: TensorLayout
    let activation: FusedActivation
    let x: UnsafeMutablePointer<Float>, weights: UnsafeMutablePointer<Float>
    let bias: UnsafeMutablePointer<Float>?, residual: UnsafeMutablePointer<Float>?
    let y: UnsafeMutablePointer<Float>
    /// The planned workspace output, when the compiler added one.
    let workspace: (pointer: UnsafeMutablePointer<Float>, count: Int)?

    var inputGroupChannels: Int { channels / group }
    var outputGroupChannels: Int { outChannels / group }

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        batch = try step.positiveSize("batch")
        channels = try step.positiveSize("channels")
        outChannels = try step.positiveSize("outChannels")
        group = try step.positiveSize("group")
        guard channels % group == 0, outChannels % group == 0 else {
            throw RoostError.invalidArtifact("\(step.origin): group \(group) does not divide \(channels) → \(outChannels) channels")
        }
        window = try WindowParameters(step)
        guard let input = TensorLayout.of(step, TensorLayout.inputAttribute), let output = TensorLayout.of(step, TensorLayout.outputAttribute) else {
            throw RoostError.invalidArtifact("\(step.origin): layout must be 'nchw' or 'nhwc'")
        }
        (inputLayout, outputLayout) = (input, output)
        activation = try FusedActivation(step)
        let w = window
        x = try ops.checkedInput(0, count: try step.elements(batch, channels, w.inputPlane), "input X", step)
        // Weights the compiler packed into GEMM panels: one packed A (patch GEMM) or
        // one packed B (direct kernel) per group.
        let groupK = try step.elements(channels / group, w.taps)
        let weightCount: Int
        switch try GemmImplementation.packedOperand(step) {
        case "a": weightCount = group * PackedGemm.packedAFloats(m: outChannels / group, k: groupK)
        case "b": weightCount = group * PackedGemm.packedBFloats(k: groupK, n: outChannels / group)
        case "w": weightCount = group * roost_winograd_weights_floats(outChannels / group, channels / group)
        default: weightCount = try step.elements(outChannels, channels / group, w.taps)
        }
        weights = try ops.checkedInput(1, count: weightCount, "weights W", step)
        bias = try ops.checkedOptionalInput(2, count: outChannels, "bias B", step)
        let outputCount = try step.elements(batch, outChannels, w.outputPlane)
        residual = step.attributes["residual"]?.int == 1 ? try ops.checkedInput(3, count: outputCount, "fused residual", step) : nil
        y = try ops.checkedOutput(0, count: outputCount, "output Y", step)
        workspace = ops.outputs.count > 1 ? (ops.outputs[1], ops.outputShapes[1].reduce(1, *)) : nil
    }

    /// The epilogue for output channel `m` of image `n`, whose row starts at `row`
    /// (`offset` floats into the channel's plane).
    @inline(__always)
    func finish(row: UnsafeMutablePointer<Float>, count: Int, n: Int, m: Int, offset: Int = 0, includeBias: Bool = true) {
        let plane = (n * outChannels + m) * window.outputPlane + offset
        activation.apply(row, count: count, bias: includeBias ? bias?[m] ?? 0 : 0, residual: residual.map { UnsafePointer($0 + plane) })
    }

    /// The epilogue fused with copying a computed row from `source` into the output.
    @inline(__always)
    func finish(from source: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>, count: Int, n: Int, m: Int, offset: Int) {
        let plane = (n * outChannels + m) * window.outputPlane + offset
        activation.apply(from: source, to: row, count: count, bias: bias?[m] ?? 0, residual: residual.map { UnsafePointer($0 + plane) })
    }
}
