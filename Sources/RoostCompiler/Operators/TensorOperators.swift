/// Elementwise, reduction, normalization and shape operators (transformers, glue).
enum TensorOperators {
    static let all: [any OperatorLowering] = []
}
