import CRoostKernels
import RoostCore

/// The direct convolution (`convKernel` `direct`): per image and group, a
/// pixels × channels product whose patch values the kernel broadcasts from a
/// padded copy of the image, so no patch matrix is built or packed. Weights come
/// packed as B (16-channel panels) from the compiler; bias, residual and
/// clamp-type activations are applied to each tile in registers. With step
/// attribute `outputLayout` `nhwc` (one group) it writes channels-last.
struct DirectConv {
    let template: roost_conv
    let isa: roost_isa
    let context: ExecutionContext
    /// The padded image and tap offsets; the plan's workspace when large enough.
    let workspace: UnsafeMutablePointer<Float>
    let buffer: CNNScratchBuffer?
    /// Whether an activation the kernel cannot apply is left as a pass over the rows.
    let needsEpilogue: Bool

    init(_ conv: ConvStep, isa: roost_isa, context: ExecutionContext, origin: String) throws {
        let g = conv.window
        var call = roost_conv()
        call.geo = roost_im2col(channels: conv.inputGroupChannels, h: g.h, w: g.w, kh: g.kh, kw: g.kw, sh: g.sh, sw: g.sw,
                                pt: g.pt, pl: g.pl, dh: g.dh, dw: g.dw, oh: g.oh, ow: g.ow)
        call.m = conv.outputGroupChannels
        call.epilogue = .identity
        // A channels-last output (one group) stores pixel rows of all the channels.
        if conv.outputLayout == .nhwc {
            call.nhwc = 1
            call.ldy = conv.outChannels
            call.epilogue.ldr = conv.outChannels
        } else {
            call.epilogue.ldr = g.outputPlane
        }
        needsEpilogue = !call.epilogue.fuse(conv.activation)
        let needed = withUnsafePointer(to: &call.geo) { roost_conv_workspace_floats($0) }
        let rows = max(g.h, (g.oh - 1) * g.sh + (g.kh - 1) * g.dh + 1), cols = max(g.w, (g.ow - 1) * g.sw + (g.kw - 1) * g.dw + 1)
        guard Double(conv.inputGroupChannels) * Double(rows) * Double(cols) < Double(Int32.max) else {
            throw RoostError.invalidArtifact("\(origin): the image is too large for the direct kernel's 32-bit tap offsets")
        }
        (workspace, buffer) = try CNNScratchBuffer.workspace(needed, planned: conv.workspace, kernel: "direct conv", origin: origin)
        template = call
        self.isa = isa
        self.context = context
    }

    func run(_ c: ConvStep) {
        let g = c.window, mg = c.outputGroupChannels, n = g.outputPlane
        let packedGroup = PackedGemm.packedBFloats(k: c.inputGroupChannels * g.taps, n: mg)
        for image in 0..<c.batch {
            for group in 0..<c.group {
                var call = template
                call.x = UnsafePointer(c.x + (image * c.channels + group * c.inputGroupChannels) * g.inputPlane)
                call.w_packed = UnsafePointer(c.weights + group * packedGroup)
                let first = image * c.outChannels + group * mg
                call.y = c.y + first * n
                if let bias = c.bias { call.epilogue.bias_m = UnsafePointer(bias + group * mg) }
                if let residual = c.residual { call.epilogue.residual = UnsafePointer(residual + first * n) }
                // The geometry was checked against 32-bit offsets at load time.
                _ = withUnsafePointer(to: &call) { roost_conv_run($0, isa, context.pool, workspace) }
                if needsEpilogue {
                    // Either layout: the group's output is mg·n contiguous floats (one group when channels-last).
                    c.activation.apply(call.y, count: mg * n, on: context)
                }
            }
        }
    }
}
