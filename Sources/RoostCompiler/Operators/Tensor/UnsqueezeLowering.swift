import RoostCore

/// ONNX `Unsqueeze`: axes (input from opset 13, attribute before) index the output.
public struct UnsqueezeLowering: ViewLowering {
    public let opType = "Unsqueeze"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node)
        guard let given = try graph.optionalInts(1, of: node, "axes") ?? node.ints("axes") else {
            throw RoostError.invalidModel("\(node.label) has no axes")
        }
        let rank = s.count + given.count
        let axes = Set(try given.map { try node.axis($0, rank: rank) })
        guard axes.count == given.count else { throw RoostError.invalidModel("\(node.label): repeated axis in \(given)") }
        var rest = s.makeIterator()
        return [(0..<rank).map { axes.contains($0) ? 1 : rest.next() ?? 1 }]
    }
}
