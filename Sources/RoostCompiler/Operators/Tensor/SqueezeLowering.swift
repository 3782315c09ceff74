import RoostCore

/// ONNX `Squeeze`: axes from the input (opset ≥ 13) or attribute; none → every unit dim.
public struct SqueezeLowering: ViewLowering {
    public let opType = "Squeeze"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node)
        guard let given = try graph.optionalInts(1, of: node, "axes") ?? node.ints("axes") else { return [s.filter { $0 != 1 }] }
        let axes = Set(try given.map { try node.axis($0, rank: s.count) })
        for a in axes where s[a] != 1 { throw RoostError.invalidModel("\(node.label): cannot squeeze axis \(a) of size \(s[a])") }
        return [s.enumerated().filter { !axes.contains($0.offset) }.map(\.element)]
    }
}
