/// Convolution, pooling and normalization operators (CNNs). Residual `Add`s and
/// ReLU6 `Clip`s are the tensor family's operators, fused into the Conv by `ActivationFusion`.
enum CNNOperators {
    static let all: [any OperatorLowering] = [
        ConvLowering(), ConvTransposeLowering(),
        PoolLowering(.max), PoolLowering(.average),
        GlobalPoolLowering("GlobalAveragePool"), GlobalPoolLowering("GlobalMaxPool"),
        BatchNormalizationLowering(),
    ]
}
