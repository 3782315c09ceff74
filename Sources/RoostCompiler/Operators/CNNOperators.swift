/// Convolution, pooling and normalization operators (CNNs).
///
/// `Add` (equal shapes) and `Clip` (constant bounds) come last: they are the
/// residual joins and ReLU6 of CNNs, normally fused into the Conv, and only back
/// up the tensor family's general lowerings, which win when both exist.
enum CNNOperators {
    static let all: [any OperatorLowering] = [
        ConvLowering(), ConvTransposeLowering(),
        PoolLowering(.max), PoolLowering(.average),
        GlobalPoolLowering("GlobalAveragePool"), GlobalPoolLowering("GlobalMaxPool"),
        BatchNormalizationLowering(),
        ResidualAddLowering(), CNNClipLowering(),
    ]
}
