import RoostCore

/// ONNX `Relu`, elementwise max(x, 0). Usually fused into the producing Gemm/Conv.
public struct ReluLowering: OperatorLowering {
    public let opType = "Relu"
    public init() {}
    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        guard let x = node.inputs.first else { throw RoostError.invalidModel("\(node.label) has no input") }
        return [try graph.shape(of: x)]
    }
    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel { LoweredKernel(kernel: "relu") }
}
