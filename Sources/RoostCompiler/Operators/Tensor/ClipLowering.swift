import RoostCore

/// ONNX `Clip` (opset ≥ 11: `min`/`max` are optional inputs). Constant bounds are
/// baked into the kernel; bounds computed at run time are read by the kernel.
public struct ClipLowering: OperatorLowering {
    public let opType = "Clip"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try graph.inputShape(0, of: node)] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        var attrs: [String: PlanAttribute] = [:]
        for (slot, key) in [(1, "min"), (2, "max")] where graph.has(slot, of: node) {
            let name = node.inputs[slot]
            guard try graph.shape(of: name).reduce(1, *) == 1 else {
                throw RoostError.invalidModel("\(node.label): \(key) must be a scalar")
            }
            if let c = graph.constants[name] { attrs[key] = .anyFloat(c.data[0]) }
        }
        return LoweredKernel(kernel: "clip", attributes: attrs)
    }
}
