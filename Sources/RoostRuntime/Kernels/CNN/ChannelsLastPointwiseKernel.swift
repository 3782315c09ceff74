import RoostCore

/// A pointwise (1×1, stride 1, ungrouped) conv writing a channels-last output
/// (step attribute `outputLayout` `nhwc`): Y[pixels, M] = X[pixels, C] · Wᵀ, one
/// product on Roost's GEMM with the weights as B (packed at compile time, or the
/// plain OIHW rows read transposed) and bias, residual and activation applied to
/// each tile in registers. A channels-last input is the product's A as it stands,
/// every image at once; an NCHW input is A transposed, one image at a time — so
/// such a conv also is where a network enters the channels-last layout.
struct ChannelsLastPointwiseKernel: Kernel {
    let conv: ConvStep
    let gemm: PackedGemm
    let weightsPacked: Bool
    /// Products to run: 1 for a channels-last input, the batch for NCHW.
    let images: Int
    let pixels: Int
    /// An activation the micro-kernel cannot apply, run over the output after the product.
    let needsEpilogue: Bool

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        conv = try ConvStep(step, ops)
        let g = conv.window
        guard conv.outputLayout == .nhwc, conv.group == 1, g.kh == 1, g.kw == 1, g.sh == 1, g.sw == 1,
              g.pt == 0, g.pl == 0, g.pb == 0, g.pr == 0, step.attributes["convKernel"] == nil else {
            throw RoostError.invalidArtifact("\(step.origin): a channels-last output needs an ungrouped 1×1, stride-1, unpadded conv on the GEMM")
        }
        guard case .roost(let isa) = try GemmImplementation(step) else {
            throw RoostError.invalidArtifact("\(step.origin): a channels-last conv runs on Roost's GEMM")
        }
        let packed = try GemmImplementation.packedOperand(step)
        guard packed == nil || packed == "b" else {
            throw RoostError.invalidArtifact("\(step.origin): channels-last conv weights can only be packed as B")
        }
        weightsPacked = packed == "b"
        pixels = g.outputPlane
        let channelsLastInput = conv.inputLayout == .nhwc
        images = channelsLastInput ? 1 : conv.batch
        let rows = try step.elements(channelsLastInput ? conv.batch : 1, pixels)
        guard rows < Int(Int32.max), conv.channels < Int(Int32.max), conv.outChannels < Int(Int32.max) else {
            throw RoostError.invalidArtifact("\(step.origin): too large for the GEMM")
        }
        var call = PackedGemm(m: rows, n: conv.outChannels, k: conv.channels, isa: isa, context: ops.context)
        call.plainA(lda: channelsLastInput ? conv.channels : pixels, transposed: !channelsLastInput)
        call.plainB(ldb: conv.channels, transposed: true)  // OIHW rows are Bᵀ
        call.call.epilogue.bias_n = conv.bias.map { UnsafePointer($0) }
        call.call.epilogue.ldr = conv.outChannels
        needsEpilogue = !call.call.epilogue.fuse(conv.activation)
        gemm = call
    }

    func run() {
        let c = conv, block = pixels * c.outChannels
        for image in 0..<images {
            let y = c.y + image * block
            gemm.run(a: c.x + image * pixels * c.channels, aPacked: nil, b: weightsPacked ? nil : c.weights,
                     bPacked: weightsPacked ? c.weights : nil, c: y, residual: c.residual.map { UnsafePointer($0 + image * block) })
            if needsEpilogue { c.activation.apply(y, count: gemm.call.m * c.outChannels, on: gemm.context) }
        }
    }
}
