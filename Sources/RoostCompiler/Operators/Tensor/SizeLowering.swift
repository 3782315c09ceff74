import RoostCore

/// ONNX `Size`: the input's element count as an int64 scalar, known at compile time.
public struct SizeLowering: OperatorLowering {
    public let opType = "Size"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [[]] }
    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] { [.int64] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        LoweredKernel(kernel: "constant", attributes: ["values": .floats([Float(try graph.inputShape(0, of: node).reduce(1, *))])])
    }
}
