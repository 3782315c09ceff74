import RoostCore

/// ONNX `Split` along `axis`: sizes from the `split` input (opset ≥ 13) or
/// attribute, else equal parts for `num_outputs` (opset 18: the last part may be smaller).
public struct SplitLowering: OperatorLowering {
    public let opType = "Split"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node)
        let axis = try node.axis(node.int("axis", default: 0), rank: s.count)
        return try sizes(node, graph, dim: s[axis]).map { var o = s; o[axis] = $0; return o }
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let s = try graph.inputShape(0, of: node)
        let axis = try node.axis(node.int("axis", default: 0), rank: s.count)
        let parts = try sizes(node, graph, dim: s[axis])
        return LoweredKernel(kernel: "split", attributes: ["axis": .int(axis), "sizes": .ints(parts)])
    }

    private func sizes(_ node: Node, _ graph: Graph, dim: Int) throws -> [Int] {
        if let given = try graph.optionalInts(1, of: node, "split") ?? node.ints("split") {
            guard given.count == node.outputs.count, given.allSatisfy({ $0 >= 0 }), given.reduce(0, +) == dim else {
                throw RoostError.invalidModel("\(node.label): split \(given) does not divide \(dim) into \(node.outputs.count) outputs")
            }
            return given
        }
        let n = node.int("num_outputs", default: node.outputs.count)
        guard n > 0, n == node.outputs.count else { throw RoostError.invalidModel("\(node.label): num_outputs \(n) ≠ \(node.outputs.count) outputs") }
        let chunk = (dim + n - 1) / n
        guard node.attributes["num_outputs"] != nil || dim % n == 0 else {
            throw RoostError.invalidModel("\(node.label): dim \(dim) does not split evenly into \(n) outputs")
        }
        return (0..<n).map { max(0, min(chunk, dim - $0 * chunk)) }
    }
}
