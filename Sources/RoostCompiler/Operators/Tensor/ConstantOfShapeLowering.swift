import RoostCore

/// ONNX `ConstantOfShape`: a tensor of the `shape` input filled with `value`
/// (default float 0). The importer records the value tensor's element type.
public struct ConstantOfShapeLowering: OperatorLowering {
    public let opType = "ConstantOfShape"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        return [try node.checkedShape(try graph.ints(0, of: node, "shape"))]
    }

    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] {
        guard node.attributes["value"] != nil, let t = node.attributes["roost.value.type"]?.string else { return [.float32] }
        return [ElementType(rawValue: t) ?? .float32]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        var value: Float = 0
        if case .tensor(let t)? = node.attributes["value"] {
            guard let v = t.data.first, t.data.count == 1 else { throw RoostError.invalidModel("\(node.label): value must hold one element") }
            value = v
        }
        return LoweredKernel(kernel: "fill", attributes: ["value": .anyFloat(value)])
    }
}
