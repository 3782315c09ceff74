import RoostCore

/// ONNX `Transpose` (default: reverse the dims) as an index remap.
public struct TransposeLowering: RemapLowering {
    public let opType = "Transpose"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node)
        return [try perm(node, rank: s.count).map { s[$0] }]
    }

    public func remap(_ node: Node, in graph: Graph) throws -> IndexRemap {
        let s = try graph.inputShape(0, of: node)
        let p = try perm(node, rank: s.count)
        let strides = IndexRemap.rowMajorStrides(s)
        return .strided(dims: p.map { s[$0] }, strides: p.map { strides[$0] })
    }

    func perm(_ node: Node, rank: Int) throws -> [Int] {
        guard let p = node.ints("perm") else { return Array((0..<rank).reversed()) }
        guard p.count == rank, Set(p) == Set(0..<rank) else {
            throw RoostError.invalidModel("\(node.label): perm \(p) is not a permutation of \(rank) axes")
        }
        return p
    }
}
