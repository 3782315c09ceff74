import RoostCore

/// ONNX `Tile`: output dim i is the input dim repeated `repeats[i]` times.
public struct TileLowering: RemapLowering {
    public let opType = "Tile"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node), r = try repeats(node, graph, rank: s.count)
        guard r.allSatisfy({ $0 <= Node.maxElements }) else { throw RoostError.invalidModel("\(node.label): repeats \(r) are too large") }
        return [try node.checkedShape(zip(s, r).map(*))]
    }

    public func remap(_ node: Node, in graph: Graph) throws -> IndexRemap {
        let s = try graph.inputShape(0, of: node), r = try repeats(node, graph, rank: s.count)
        let strides = IndexRemap.rowMajorStrides(s)
        let dims = zip(s, r).map(*)
        let tables = s.indices.map { d in (0..<dims[d]).map { ($0 % s[d]) * strides[d] } }
        return IndexRemap(dims: dims, tables: tables).collapsed()
    }

    private func repeats(_ node: Node, _ graph: Graph, rank: Int) throws -> [Int] {
        let r = try graph.ints(1, of: node, "repeats")
        guard r.count == rank, r.allSatisfy({ $0 >= 0 }) else {
            throw RoostError.invalidModel("\(node.label): repeats \(r) must give one non-negative count per input dim (\(rank))")
        }
        return r
    }
}
