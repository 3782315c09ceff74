import RoostCore

/// Convolution and pooling kernels.
enum CNNKernels {
    static let builders: [String: KernelBuilder] = [:]
}
