import RoostCore

/// ONNX `Softmax` / `LogSoftmax` (opset-13 semantics: one axis, default -1),
/// lowered to a kernel over [outer, n, inner].
public struct SoftmaxLowering: OperatorLowering {
    public let opType: String
    let log: Bool
    public init(log: Bool = false) {
        self.log = log
        opType = log ? "LogSoftmax" : "Softmax"
    }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try graph.inputShape(0, of: node)] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let s = try graph.inputShape(0, of: node)
        let axis = try node.axis(node.int("axis", default: -1), rank: max(s.count, 1))
        let outer = s.prefix(axis).reduce(1, *), n = s.isEmpty ? 1 : s[axis], inner = s.dropFirst(axis + 1).reduce(1, *)
        return LoweredKernel(kernel: "softmax", attributes: [
            "outer": .int(outer), "n": .int(n), "inner": .int(inner), "log": .int(log ? 1 : 0),
        ])
    }
}
