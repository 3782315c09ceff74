import CRoostKernels
import RoostCore

/// Winograd F(2×2, 3×3) (`convKernel` `winograd`) for stride-1, undilated 3×3
/// convs: the compiler stored the transformed weights as 16 packed GEMM A
/// matrices; per image and group the C kernel transforms the input, runs the 16
/// products on Roost's GEMM and transforms the output with bias, residual and
/// clamp-type activations fused.
struct WinogradConv {
    let template: roost_winograd
    let isa: roost_isa
    let context: ExecutionContext
    /// The padded image and one block's transformed input and products.
    let workspace: UnsafeMutablePointer<Float>
    let buffer: CNNScratchBuffer?
    /// Whether an activation the kernel cannot apply is left as a pass over the rows.
    let needsEpilogue: Bool

    init(_ conv: ConvStep, isa: roost_isa, context: ExecutionContext, origin: String) throws {
        let g = conv.window
        guard g.kh == 3, g.kw == 3, g.sh == 1, g.sw == 1, g.dh == 1, g.dw == 1, conv.group == 1,
              g.oh + 2 == g.h + g.pt + g.pb, g.ow + 2 == g.w + g.pl + g.pr else {
            throw RoostError.invalidArtifact("\(origin): the Winograd kernel needs an ungrouped, stride-1, undilated 3×3 window")
        }
        var call = roost_winograd()
        call.channels = conv.inputGroupChannels
        call.m = conv.outputGroupChannels
        (call.h, call.w, call.pt, call.pl, call.oh, call.ow) = (g.h, g.w, g.pt, g.pl, g.oh, g.ow)
        call.epilogue = .identity
        call.epilogue.ldr = g.outputPlane
        needsEpilogue = !call.epilogue.fuse(conv.activation)
        let needed = withUnsafePointer(to: &call) { roost_winograd_workspace_floats($0) }
        (workspace, buffer) = try CNNScratchBuffer.workspace(needed, planned: conv.workspace, kernel: "Winograd", origin: origin)
        template = call
        self.isa = isa
        self.context = context
    }

    func run(_ c: ConvStep) {
        let n = c.window.outputPlane
        for image in 0..<c.batch {
            var call = template
            call.x = UnsafePointer(c.x + image * c.channels * c.window.inputPlane)
            call.u_packed = UnsafePointer(c.weights)
            call.y = c.y + image * c.outChannels * n
            if let bias = c.bias { call.epilogue.bias_m = UnsafePointer(bias) }
            if let residual = c.residual { call.epilogue.residual = UnsafePointer(residual + image * c.outChannels * n) }
            withUnsafePointer(to: &call) { roost_winograd_run($0, isa, context.pool, workspace, context.gemmScratch) }
            if needsEpilogue {
                c.activation.apply(call.y, count: c.outChannels * n, on: context)
            }
        }
    }
}
