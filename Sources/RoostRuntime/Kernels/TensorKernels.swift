import RoostCore

/// Elementwise, reduction, normalization and data-movement kernels.
enum TensorKernels {
    static let builders: [String: KernelBuilder] = [
        "binary": { step, ops in try BinaryOps.make(step, ops) },
        "unary": { step, ops in try UnaryKernel(ops, origin: step.origin, try UnaryOps.body(step)) },
        "clip": { step, ops in try ClipKernel(step, ops) },
        "where": { step, ops in try WhereKernel(step, ops) },
        "softmax": { step, ops in try SoftmaxKernel(step, ops) },
        "layernorm": { step, ops in try LayerNormKernel(step, ops) },
        "matmul": { step, ops in try MatMulKernel(step, ops) },
        "reduce": { step, ops in try ReduceKernel(step, ops) },
        "remap": { step, ops in try RemapKernel(step, ops) },
        "resize": { step, ops in try ResizeKernel(step, ops) },
        "gather": { step, ops in try GatherKernel(step, ops) },
        "concat": { step, ops in try ConcatKernel(step, ops) },
        "split": { step, ops in try SplitKernel(step, ops) },
        "constant": { step, ops in try FillKernel(step, ops) },
        "fill": { step, ops in try FillKernel(step, ops) },
        "range": { step, ops in try FillKernel(step, ops) },
    ]
}
