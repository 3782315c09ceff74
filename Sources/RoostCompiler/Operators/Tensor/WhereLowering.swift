import RoostCore

/// ONNX `Where(condition, X, Y)` with three-way broadcasting.
public struct WhereLowering: OperatorLowering {
    public let opType = "Where"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        guard node.inputs.count == 3, !node.inputs.contains("") else { throw RoostError.invalidModel("\(node.label) needs condition, X and Y") }
        return [try Broadcast.shape(of: node.inputs, for: node, in: graph)]
    }

    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] { [graph.type(of: node.inputs[1])] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        _ = try outputShapes(node, in: graph)
        return LoweredKernel(kernel: "where")
    }
}
