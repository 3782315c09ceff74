import CRoostKernels
import RoostCore

/// Depthwise conv (multiplier 1) on channels-last values (step attributes
/// `inputLayout` and `outputLayout` `nhwc`): each pixel's channels are one
/// vector, so the kernel reads the input in place — no per-channel plane copies —
/// and writes each pixel with bias, residual and clamp applied. The OIHW weights
/// are turned tap-major ([kh·kw, C]) once, at load time.
struct ChannelsLastDepthwiseKernel: Kernel {
    let conv: ConvStep
    let taps: KernelScratch<Float>
    /// The prepared call, at a stable address.
    let call: KernelScratch<roost_depthwise_nhwc>
    let isa: roost_isa
    let context: ExecutionContext

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        conv = try ConvStep(step, ops)
        guard conv.inputLayout == .nhwc, conv.outputLayout == .nhwc else {
            throw RoostError.invalidArtifact("\(step.origin): the channels-last depthwise kernel reads and writes NHWC values")
        }
        guard conv.group == conv.channels, conv.outChannels == conv.channels else {
            throw RoostError.invalidArtifact("\(step.origin): a channels-last depthwise conv needs one output channel per input channel")
        }
        guard try GemmImplementation.packedOperand(step) == nil else {
            throw RoostError.invalidArtifact("\(step.origin): a depthwise conv reads plain OIHW weights")
        }
        let g = conv.window, c = conv.channels
        var tapMajor = [Float](repeating: 0, count: g.taps * c)
        for ch in 0..<c {
            for t in 0..<g.taps { tapMajor[t * c + ch] = conv.weights[ch * g.taps + t] }
        }
        taps = KernelScratch(tapMajor)
        switch step.attributes["simd"]?.string {
        case nil: isa = ROOST_ISA_PORTABLE
        case "avx2":
            guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
                throw RoostError.invalidArtifact("\(step.origin): compiled for AVX2 + FMA, which this CPU lacks; compile for this machine's target")
            }
            isa = ROOST_ISA_AVX2
        case "avx512":
            guard roost_isa_supported(ROOST_ISA_AVX512) != 0 else {
                throw RoostError.invalidArtifact("\(step.origin): compiled for AVX-512F, which this CPU lacks; compile for this machine's target")
            }
            isa = ROOST_ISA_AVX512
        case let other?: throw RoostError.invalidArtifact("\(step.origin): SIMD family '\(other)' is unknown to this runtime")
        }
        let (lo, hi): (Float, Float)
        switch conv.activation {
        case .none: (lo, hi) = (-.infinity, .infinity)
        case .clamp(let l, let h): (lo, hi) = (l, h)
        default:
            throw RoostError.invalidArtifact("\(step.origin): a channels-last depthwise conv applies clamp-type activations only")
        }
        call = KernelScratch([roost_depthwise_nhwc(
            batch: conv.batch, channels: c, h: g.h, w: g.w, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw, pt: g.pt, pl: g.pl,
            dh: g.dh, dw: g.dw, oh: g.oh, ow: g.ow, x: conv.x, weights: taps.pointer, bias: conv.bias.map { UnsafePointer($0) },
            residual: conv.residual.map { UnsafePointer($0) }, lo: lo, hi: hi, y: conv.y)])
        context = ops.context
    }

    func run() {
        roost_depthwise_nhwc_run(call.pointer, isa, context.pool)
    }
}
