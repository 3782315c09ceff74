import RoostCore

/// ONNX `Reshape`: `0` copies the input's dim (unless `allowzero`), `-1` is inferred.
public struct ReshapeLowering: ViewLowering {
    public let opType = "Reshape"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let input = try graph.inputShape(0, of: node)
        let requested = try graph.ints(1, of: node, "shape")
        let allowZero = node.int("allowzero", default: 0) != 0
        guard requested.allSatisfy({ $0 >= -1 && $0 <= Node.maxElements }) else {
            throw RoostError.invalidModel("\(node.label): invalid shape \(requested)")
        }
        var out: [Int] = []
        var inferred: Int?
        for (i, d) in requested.enumerated() {
            switch d {
            case -1:
                guard inferred == nil else { throw RoostError.invalidModel("\(node.label): more than one -1 in shape \(requested)") }
                inferred = i
                out.append(1)
            case 0 where !allowZero:
                guard i < input.count else { throw RoostError.invalidModel("\(node.label): shape \(requested) copies dim \(i) of \(input)") }
                out.append(input[i])
            case let d where d >= 0: out.append(d)
            default: throw RoostError.invalidModel("\(node.label): invalid dim \(d) in shape \(requested)")
            }
        }
        let total = input.reduce(1, *)
        if let i = inferred {
            let known = try node.checkedShape(out).reduce(1, *)
            guard known > 0, total % known == 0 else { throw RoostError.invalidModel("\(node.label): cannot reshape \(input) to \(requested)") }
            out[i] = total / known
        }
        guard try node.checkedShape(out).reduce(1, *) == total else { throw RoostError.invalidModel("\(node.label): cannot reshape \(input) to \(requested)") }
        return [out]
    }
}
