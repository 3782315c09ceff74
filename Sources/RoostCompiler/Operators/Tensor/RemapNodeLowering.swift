import RoostCore

/// The node `DataMovementFusion` leaves behind: a composed index remap, carried
/// in attributes (`roost.shape`, `roost.dims`, `roost.offsets`). Not an ONNX operator.
public struct RemapNodeLowering: RemapLowering {
    public static let name = "RoostRemap"
    public let opType = RemapNodeLowering.name
    public init() {}

    static func attributes(_ remap: IndexRemap, shape: [Int]) -> [String: NodeAttribute] {
        ["roost.shape": .ints(shape), "roost.dims": .ints(remap.dims), "roost.offsets": .ints(remap.tables.flatMap { $0 })]
    }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        guard let shape = node.ints("roost.shape") else { throw RoostError.invalidModel("\(node.label) lacks roost.shape") }
        return [shape]
    }

    public func remap(_ node: Node, in graph: Graph) throws -> IndexRemap {
        guard let dims = node.ints("roost.dims"), let offsets = node.ints("roost.offsets"), offsets.count == dims.reduce(0, +),
              dims.reduce(1, *) == (try outputShapes(node, in: graph)[0].reduce(1, *)) else {
            throw RoostError.invalidModel("\(node.label) has inconsistent remap tables")
        }
        var tables: [[Int]] = []
        var at = 0
        for d in dims { tables.append(Array(offsets[at..<(at + d)])); at += d }
        return IndexRemap(dims: dims, tables: tables)
    }
}
