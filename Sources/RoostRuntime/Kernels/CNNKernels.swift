import RoostCore

/// Convolution, pooling and normalization kernels.
enum CNNKernels {
    static let builders: [String: KernelBuilder] = [
        "conv": { step, ops in
            let channelsLast = TensorLayout.of(step, TensorLayout.outputAttribute) == .nhwc
            return switch step.attributes["algorithm"]?.string {
            case "gemm-1x1" where channelsLast: try ChannelsLastPointwiseKernel(step, ops)
            case "direct-depthwise" where channelsLast: try ChannelsLastDepthwiseKernel(step, ops)
            case "im2col-gemm", "gemm-1x1": try GemmConvKernel(step, ops)
            case "direct-depthwise", "direct-grouped": try DepthwiseConvKernel(step, ops)
            case let other: throw RoostError.invalidArtifact("\(step.origin): conv algorithm '\(other ?? "none")' is unknown to this runtime")
            }
        },
        "conv_transpose": { step, ops in try ConvTransposeKernel(step, ops) },
        "max_pool": { step, ops in try PoolKernel(step, ops, max: true) },
        "average_pool": { step, ops in try PoolKernel(step, ops, max: false) },
        "global_average_pool": { step, ops in try GlobalPoolKernel(step, ops, max: false) },
        "global_max_pool": { step, ops in try GlobalPoolKernel(step, ops, max: true) },
        "batch_norm": { step, ops in try BatchNormKernel(step, ops) },
    ]
}
