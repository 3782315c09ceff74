/// The operators of the first engine: dense layers.
enum CoreOperators {
    static let all: [any OperatorLowering] = [GemmLowering(), ReluLowering(), FlattenLowering()]
}
