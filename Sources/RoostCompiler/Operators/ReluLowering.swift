import RoostCore

/// ONNX `Relu`, elementwise max(x, 0). Usually fused into the producing Gemm/Conv.
public struct ReluLowering: OperatorLowering {
    public let opType = "Relu"
    public init() {}
    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try graph.shape(of: node.inputs[0])] }
    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel { LoweredKernel(kernel: "relu") }
}
