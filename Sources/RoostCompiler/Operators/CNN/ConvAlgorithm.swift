/// How a Conv step is computed on the CPU. The compiler picks one per step from
/// the static shapes and records it in the plan (step attribute `algorithm`), so
/// a result can be traced to the code path that produced it.
public enum ConvAlgorithm: String, Sendable, CaseIterable {
    /// Unfold input patches into a [C/g·kh·kw, OH·OW] matrix, then one sgemm per group.
    case im2colGemm = "im2col-gemm"
    /// 1×1 kernel, stride 1, no padding: the input already is the sgemm operand.
    case gemm1x1 = "gemm-1x1"
    /// One input channel per group: a direct loop, no matrix product to speak of.
    case directDepthwise = "direct-depthwise"
    /// A few input and output channels per group (ResNeXt's 32 × 4): the depthwise
    /// loop summing over the group's input planes, four outputs sharing each load.
    case directGrouped = "direct-grouped"

    /// Chooses the algorithm for a convolution of `channels` → `outChannels` in
    /// `group` groups over `geometry`.
    public static func choose(channels: Int, outChannels: Int, group: Int, geometry g: WindowGeometry) -> ConvAlgorithm {
        if group == channels, group > 1, outChannels % group == 0 { return .directDepthwise }
        if group > 1, channels % group == 0, outChannels % group == 0,
           groupFavoursDirect(inputs: channels / group, outputs: outChannels / group) { return .directGrouped }
        if g.kernel == [1, 1], g.strides == [1, 1], g.pads.allSatisfy({ $0 == 0 }) { return .gemm1x1 }
        return .im2colGemm
    }

    /// Whether a group this narrow runs faster on the direct loop than on a patch
    /// GEMM per group, whose 6-row panels and per-group packing it cannot fill.
    /// 3×3 over 256 channels at 28 × 28 on Zen 3, GEMM → direct: 2 a group 4.2 →
    /// 0.39 ms, 4: 2.7 → 0.41, 8: 2.0 → 0.61, 16: 1.11 → 1.14, 64: 2.7 → 3.3
    /// (stride 2 alike: 8 a group 0.55 → 0.18, 16: 0.26 → 0.28).
    static func groupFavoursDirect(inputs: Int, outputs: Int) -> Bool {
        inputs > 1 && inputs <= 64 && outputs <= 8
    }

    /// Float32 elements of scratch the algorithm needs (im2col's patch matrix for
    /// one group); nil when that product overflows.
    public func workspaceElements(channels: Int, group: Int, geometry g: WindowGeometry) -> Int? {
        switch self {
        case .im2colGemm:
            [g.kernel[0], g.kernel[1], g.output[0], g.output[1]].reduce(Optional(channels / group)) { p, f in
                p.flatMap { let (v, overflow) = $0.multipliedReportingOverflow(by: f); return overflow ? nil : v }
            }
        case .gemm1x1, .directDepthwise, .directGrouped: 0
        }
    }
}
