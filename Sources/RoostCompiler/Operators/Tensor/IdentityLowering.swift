import RoostCore

/// ONNX `Identity`, for the cases `IdentityElimination` must keep (a graph output).
public struct IdentityLowering: ViewLowering {
    public let opType = "Identity"
    public init() {}
    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try graph.inputShape(0, of: node)] }
}
