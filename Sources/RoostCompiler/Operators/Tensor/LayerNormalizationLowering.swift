import RoostCore

/// ONNX `LayerNormalization` (opset 17): normalizes over dims [axis, rank) with
/// Scale and optional B broadcast onto that block; optional Mean and InvStdDev outputs.
public struct LayerNormalizationLowering: OperatorLowering {
    public let opType = "LayerNormalization"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let (s, axis) = try layout(node, graph)
        let stats = Array(s.prefix(axis)) + Array(repeating: 1, count: s.count - axis)
        return [s, stats, stats].prefix(node.outputs.count).map { $0 }
    }

    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] {
        [graph.type(of: node.inputs[0]), .float32, .float32].prefix(node.outputs.count).map { $0 }
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let (s, axis) = try layout(node, graph)
        let normalized = Array(s[axis...])
        for slot in [1, 2] where graph.has(slot, of: node) {
            let p = try graph.shape(of: node.inputs[slot])
            guard Broadcast.isUnidirectional(p, to: normalized) else {
                throw RoostError.invalidModel("\(node.label): \(slot == 1 ? "Scale" : "B") shape \(p) does not broadcast to \(normalized)")
            }
        }
        func has(_ output: Int) -> Int { output < node.outputs.count && !node.outputs[output].isEmpty ? 1 : 0 }
        return LoweredKernel(kernel: "layernorm", attributes: [
            "outer": .int(s.prefix(axis).reduce(1, *)), "n": .int(normalized.reduce(1, *)),
            "epsilon": .float(node.float("epsilon", default: 1e-5)),
            "hasMean": .int(has(1)), "hasInvStdDev": .int(has(2)),
        ])
    }

    private func layout(_ node: Node, _ graph: Graph) throws -> ([Int], Int) {
        let s = try graph.inputShape(0, of: node)
        guard graph.has(1, of: node) else { throw RoostError.invalidModel("\(node.label) lacks Scale") }
        let axis = try node.axis(node.int("axis", default: -1), rank: s.count)
        return (s, axis)
    }
}
