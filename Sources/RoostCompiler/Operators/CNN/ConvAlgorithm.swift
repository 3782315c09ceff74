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

    /// Chooses the algorithm for a convolution of `channels` → `outChannels` in
    /// `group` groups over `geometry`.
    public static func choose(channels: Int, outChannels: Int, group: Int, geometry g: WindowGeometry) -> ConvAlgorithm {
        if group == channels, group > 1, outChannels % group == 0 { return .directDepthwise }
        if g.kernel == [1, 1], g.strides == [1, 1], g.pads.allSatisfy({ $0 == 0 }) { return .gemm1x1 }
        return .im2colGemm
    }

    /// Float32 elements of scratch the algorithm needs (im2col's patch matrix for
    /// one group); nil when that product overflows.
    public func workspaceElements(channels: Int, group: Int, geometry g: WindowGeometry) -> Int? {
        switch self {
        case .im2colGemm:
            [g.kernel[0], g.kernel[1], g.output[0], g.output[1]].reduce(Optional(channels / group)) { p, f in
                p.flatMap { let (v, overflow) = $0.multipliedReportingOverflow(by: f); return overflow ? nil : v }
            }
        case .gemm1x1, .directDepthwise: 0
        }
    }
}
