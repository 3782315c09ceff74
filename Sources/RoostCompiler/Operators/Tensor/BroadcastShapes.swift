import RoostCore

extension Broadcast {
    /// ONNX multidirectional broadcasting (NumPy rules): shapes are right-aligned and
    /// each dimension must be equal or 1. Returns nil when they are incompatible.
    public static func multidirectional(_ shapes: [[Int]]) -> [Int]? {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for shape in shapes {
            let pad = rank - shape.count
            for (i, d) in shape.enumerated() {
                let o = out[pad + i]
                if o == d || d == 1 { continue }
                guard o == 1 else { return nil }
                out[pad + i] = d
            }
        }
        return out
    }

    /// The broadcast shape of a node's inputs, or an error naming the node.
    static func shape(of inputs: [String], for node: Node, in graph: Graph) throws -> [Int] {
        let shapes = try inputs.map { try graph.shape(of: $0) }
        guard let out = multidirectional(shapes) else {
            throw RoostError.invalidModel("\(node.label): input shapes \(shapes.map { "\($0)" }.joined(separator: ", ")) do not broadcast")
        }
        return out
    }
}
