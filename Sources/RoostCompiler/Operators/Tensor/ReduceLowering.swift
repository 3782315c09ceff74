import RoostCore

/// ONNX `ReduceMean`/`ReduceSum`/`ReduceMax`/`ReduceMin`/`ReduceProd`: axes come from
/// the attribute (older opsets) or the second input (ReduceSum ≥ 13, others ≥ 18).
public struct ReduceLowering: OperatorLowering {
    public let opType: String
    let op: String
    init(_ opType: String, op: String) {
        self.opType = opType
        self.op = op
    }

    static let all: [ReduceLowering] = [
        .init("ReduceMean", op: "mean"), .init("ReduceSum", op: "sum"), .init("ReduceMax", op: "max"),
        .init("ReduceMin", op: "min"), .init("ReduceProd", op: "prod"),
    ]

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node)
        guard let axes = try axes(node, graph, rank: s.count) else { return [s] }
        let keep = node.int("keepdims", default: 1) != 0
        var out: [Int] = []
        for (i, d) in s.enumerated() {
            if !axes.contains(i) { out.append(d) } else if keep { out.append(1) }
        }
        return [out]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let s = try graph.inputShape(0, of: node)
        guard let axes = try axes(node, graph, rank: s.count) else { return LoweredKernel(kernel: "copy") }
        return LoweredKernel(kernel: "reduce", attributes: ["op": .string(op), "axes": .ints(axes)])
    }

    /// Sorted normalized axes; nil when the node is a no-op (empty axes with noop_with_empty_axes).
    private func axes(_ node: Node, _ graph: Graph, rank: Int) throws -> [Int]? {
        let given = try graph.optionalInts(1, of: node, "axes") ?? node.ints("axes") ?? []
        if given.isEmpty {
            return node.int("noop_with_empty_axes", default: 0) != 0 ? nil : Array(0..<rank)
        }
        let normalized = try given.map { try node.axis($0, rank: rank) }
        guard Set(normalized).count == normalized.count else { throw RoostError.invalidModel("\(node.label): repeated axis in \(given)") }
        return normalized.sorted()
    }
}
