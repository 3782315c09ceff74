import RoostCore

/// ONNX `Expand`: broadcast the input against the `shape` input (multidirectionally,
/// so a 1 in `shape` keeps the input's dim).
public struct ExpandLowering: RemapLowering {
    public let opType = "Expand"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node), target = try graph.ints(1, of: node, "shape")
        guard target.allSatisfy({ $0 >= 0 }), let out = Broadcast.multidirectional([s, target]) else {
            throw RoostError.invalidModel("\(node.label): \(s) does not broadcast to \(target)")
        }
        return [try node.checkedShape(out)]
    }

    public func remap(_ node: Node, in graph: Graph) throws -> IndexRemap {
        let s = try graph.inputShape(0, of: node), out = try outputShapes(node, in: graph)[0]
        return .broadcast(s, to: out)
    }
}

extension IndexRemap {
    /// Reads a tensor of shape `shape` broadcast (unidirectionally) to `target`.
    public static func broadcast(_ shape: [Int], to target: [Int]) -> IndexRemap {
        let padded = Array(repeating: 1, count: target.count - shape.count) + shape
        let strides = IndexRemap.rowMajorStrides(padded)
        return .strided(dims: target, strides: target.indices.map { padded[$0] == 1 ? 0 : strides[$0] })
    }
}
