import RoostCore

/// Two-input elementwise ONNX operators with multidirectional broadcasting, all
/// lowered to the `binary` kernel. The kernel op is chosen from the element type
/// here, because at run time every value is float32: integer `Div` must truncate
/// and integer `Mod` must take the divisor's sign.
public struct ElementwiseBinaryLowering: OperatorLowering {
    public enum Result: Sendable { case sameAsInput, bool }

    public let opType: String
    let result: Result
    let kernelOp: @Sendable (Node, Graph) throws -> String

    init(_ opType: String, result: Result = .sameAsInput, _ kernelOp: @escaping @Sendable (Node, Graph) throws -> String) {
        self.opType = opType
        self.result = result
        self.kernelOp = kernelOp
    }

    init(_ opType: String, result: Result = .sameAsInput, op: String) {
        self.init(opType, result: result) { _, _ in op }
    }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        guard node.inputs.count == 2, !node.inputs[0].isEmpty, !node.inputs[1].isEmpty else {
            throw RoostError.invalidModel("\(node.label) needs exactly two inputs")
        }
        return [try Broadcast.shape(of: node.inputs, for: node, in: graph)]
    }

    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] {
        switch result {
        case .bool: [.bool]
        case .sameAsInput: [graph.type(of: node.inputs[0])]
        }
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        _ = try outputShapes(node, in: graph)
        return LoweredKernel(kernel: "binary", attributes: ["op": .string(try kernelOp(node, graph))])
    }

    /// The ONNX binary operators and the kernel op each becomes.
    static let all: [ElementwiseBinaryLowering] = [
        .init("Add", op: "add"),
        .init("Sub", op: "sub"),
        .init("Mul", op: "mul"),
        .init("Div") { node, graph in graph.type(of: node.inputs[0]).isInteger ? "div_int" : "div" },
        .init("Pow", op: "pow"),
        .init("Mod") { node, graph in
            if node.int("fmod", default: 0) != 0 { return "fmod" }
            return graph.type(of: node.inputs[0]).isInteger ? "mod_int" : "mod_float"
        },
        .init("Equal", result: .bool, op: "equal"),
        .init("Less", result: .bool, op: "less"),
        .init("Greater", result: .bool, op: "greater"),
        .init("LessOrEqual", result: .bool, op: "less_equal"),
        .init("GreaterOrEqual", result: .bool, op: "greater_equal"),
        .init("And", result: .bool, op: "and"),
        .init("Or", result: .bool, op: "or"),
        .init("Xor", result: .bool, op: "xor"),
    ]
}
