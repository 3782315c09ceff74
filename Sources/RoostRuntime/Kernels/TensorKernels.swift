import RoostCore

/// Elementwise, reduction, normalization and data-movement kernels.
enum TensorKernels {
    static let builders: [String: KernelBuilder] = [:]
}
