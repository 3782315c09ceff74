import RoostCore

/// ONNX `Cast`. Values stay float32 at run time, so only the value changes:
/// integer targets truncate toward zero, bool becomes 0/1, everything else copies.
/// The target type is recorded so later operators (Div, Mod) see it.
public struct CastLowering: OperatorLowering {
    public let opType = "Cast"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try graph.inputShape(0, of: node)] }

    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] { [try target(node)] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let to = try target(node)
        let from = graph.type(of: node.inputs[0])
        if to == .bool { return ElementwiseUnaryLowering.unary("bool") }
        if to.isInteger, !from.isInteger, from != .bool { return ElementwiseUnaryLowering.unary("trunc") }
        return LoweredKernel(kernel: "copy")
    }

    private func target(_ node: Node) throws -> ElementType {
        guard let code = node.attributes["to"]?.int else { throw RoostError.invalidModel("\(node.label) has no 'to' attribute") }
        let t = ElementType(onnx: Int32(clamping: code))
        guard t != .undefined, t != .string else { throw RoostError.unsupported("\(node.label): cast to ONNX type \(code)") }
        return t
    }
}
