import RoostCore

/// ONNX `Gather` along `axis`, negative indices counting from the end. Constant
/// indices (the usual case) become an index remap checked at compile time; indices
/// computed at run time use the `gather` kernel, which zero-fills out-of-range ones.
public struct GatherLowering: OperatorLowering {
    public let opType = "Gather"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let (s, axis) = try layout(node, graph)
        let idx = try graph.inputShape(1, of: node)
        return [Array(s[..<axis]) + idx + Array(s[(axis + 1)...])]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let (s, axis) = try layout(node, graph)
        let outer = s[..<axis].reduce(1, *), inner = s[(axis + 1)...].reduce(1, *), d = s[axis]
        guard let indices = graph.constants[node.inputs[1]] else {
            return LoweredKernel(kernel: "gather", attributes: ["outer": .int(outer), "axisDim": .int(d), "inner": .int(inner)])
        }
        let rows = try indices.data.map { v -> Int in
            let i = Int(saturating: v)
            guard i >= -d, i < d else { throw RoostError.invalidModel("\(node.label): index \(i) is out of range for axis size \(d)") }
            return (i < 0 ? i + d : i) * inner
        }
        let remap = IndexRemap(dims: [outer, rows.count, inner], tables: [
            (0..<outer).map { $0 * d * inner }, rows, Array(0..<inner),
        ]).collapsed()
        return LoweredKernel(kernel: "remap", attributes: remap.attributes)
    }

    private func layout(_ node: Node, _ graph: Graph) throws -> ([Int], Int) {
        let s = try graph.inputShape(0, of: node)
        guard !s.isEmpty else { throw RoostError.invalidModel("\(node.label): cannot gather from a scalar") }
        _ = try graph.inputShape(1, of: node)
        return (s, try node.axis(node.int("axis", default: 0), rank: s.count))
    }
}
