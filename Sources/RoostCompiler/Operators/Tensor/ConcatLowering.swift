import RoostCore

/// ONNX `Concat` along `axis`: every input matches the output except on that axis.
public struct ConcatLowering: OperatorLowering {
    public let opType = "Concat"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let shapes = try node.inputs.filter { !$0.isEmpty }.map { try graph.shape(of: $0) }
        guard var out = shapes.first else { throw RoostError.invalidModel("\(node.label) has no inputs") }
        let axis = try node.axis(node.int("axis", default: 0), rank: out.count)
        for s in shapes.dropFirst() {
            guard s.count == out.count, s.indices.allSatisfy({ $0 == axis || s[$0] == out[$0] }) else {
                throw RoostError.invalidModel("\(node.label): cannot concatenate shapes \(shapes) on axis \(axis)")
            }
            out[axis] += s[axis]
        }
        return [out]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let out = try outputShapes(node, in: graph)[0]
        let axis = try node.axis(node.int("axis", default: 0), rank: out.count)
        return LoweredKernel(kernel: "concat", attributes: ["axis": .int(axis)])
    }
}
