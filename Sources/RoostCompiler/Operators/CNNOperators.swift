/// Convolution, pooling and normalization operators (CNNs).
enum CNNOperators {
    static let all: [any OperatorLowering] = []
}
