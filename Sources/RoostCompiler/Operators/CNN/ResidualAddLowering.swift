import RoostCore

/// `Add` of two equal-shape float tensors — the residual joins of CNNs. Almost
/// always fused into the producing Conv by `ActivationFusion`; this lowering (kernel
/// `cnn.residual_add`) covers the rest. Listed after the tensor family's general,
/// broadcasting `Add`, which takes precedence when present (the registry keeps
/// the first lowering per operator).
public struct ResidualAddLowering: OperatorLowering {
    public let opType = "Add"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        guard node.inputs.count == 2, node.inputs.allSatisfy({ !$0.isEmpty }) else {
            throw RoostError.invalidModel("\(node.label) needs two inputs")
        }
        let a = try graph.shape(of: node.inputs[0]), b = try graph.shape(of: node.inputs[1])
        guard a == b else {
            throw RoostError.unsupported("\(node.label): broadcasting Add (\(a) + \(b)); the CNN family's Add handles equal shapes only")
        }
        return [a]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        _ = try outputShapes(node, in: graph)
        return LoweredKernel(kernel: "cnn.residual_add")
    }
}
