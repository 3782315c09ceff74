import RoostCore

/// Kernels of the first engine: dense layers.
enum CoreKernels {
    static let builders: [String: KernelBuilder] = [
        "gemm": { step, ops in try GemmKernel(step, ops) },
        "relu": { step, ops in try UnaryKernel(ops, origin: step.origin) { ReluKernel.apply($0, $1, $2) } },
        "copy": { step, ops in try UnaryKernel(ops, origin: step.origin) { src, dst, n in dst.update(from: src, count: n) } },
    ]
}
