import RoostCore

/// `Clip` with constant bounds (ReLU6 and friends) — almost always fused into the
/// producing Conv or Gemm by `ActivationFusion`; this lowering (kernel `cnn.clip`,
/// attributes `min`/`max`, absent = unbounded) covers the rest. Listed after the
/// tensor family's general `Clip`, which takes precedence when present.
public struct CNNClipLowering: OperatorLowering {
    public let opType = "Clip"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        guard let x = node.inputs.first, !x.isEmpty else { throw RoostError.invalidModel("\(node.label) needs an input") }
        return [try graph.shape(of: x)]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        var attrs: [String: PlanAttribute] = [:]
        for (index, key) in [(1, "min"), (2, "max")] {
            if node.inputs.count > index, !node.inputs[index].isEmpty {
                guard let c = graph.constants[node.inputs[index]], c.data.count == 1 else {
                    throw RoostError.unsupported("\(node.label): \(key) must be a constant scalar for the CNN family's Clip")
                }
                attrs[key] = .float(c.data[0])
            } else if let v = node.attributes[key]?.float {
                attrs[key] = .float(v)
            }
        }
        return LoweredKernel(kernel: "cnn.clip", attributes: attrs)
    }
}
