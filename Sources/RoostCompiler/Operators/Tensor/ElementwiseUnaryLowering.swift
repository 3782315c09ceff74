import RoostCore

/// One-input elementwise ONNX operators, lowered to the `unary` kernel with an
/// op name and the operator's float parameters (`alpha`, `beta`).
public struct ElementwiseUnaryLowering: OperatorLowering {
    public let opType: String
    let resultType: ElementType?
    let kernel: @Sendable (Node) throws -> LoweredKernel

    init(_ opType: String, resultType: ElementType? = nil, _ kernel: @escaping @Sendable (Node) throws -> LoweredKernel) {
        self.opType = opType
        self.resultType = resultType
        self.kernel = kernel
    }

    init(_ opType: String, resultType: ElementType? = nil, op: String) {
        self.init(opType, resultType: resultType) { _ in LoweredKernel(kernel: "unary", attributes: ["op": .string(op)]) }
    }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try graph.inputShape(0, of: node)] }

    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] {
        [resultType ?? graph.type(of: node.inputs[0])]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        _ = try graph.inputShape(0, of: node)
        return try kernel(node)
    }

    static func unary(_ op: String, _ params: [String: Float] = [:]) -> LoweredKernel {
        var attrs: [String: PlanAttribute] = ["op": .string(op)]
        for (k, v) in params { attrs[k] = .float(v) }
        return LoweredKernel(kernel: "unary", attributes: attrs)
    }

    static let all: [ElementwiseUnaryLowering] = [
        .init("Sqrt", op: "sqrt"),
        .init("Erf", op: "erf"),
        .init("Exp", op: "exp"),
        .init("Log", op: "log"),
        .init("Neg", op: "neg"),
        .init("Abs", op: "abs"),
        .init("Reciprocal", op: "reciprocal"),
        .init("Floor", op: "floor"),
        .init("Ceil", op: "ceil"),
        .init("Sigmoid", op: "sigmoid"),
        .init("Tanh", op: "tanh"),
        .init("HardSwish", op: "hardswish"),
        .init("Not", resultType: .bool, op: "not"),
        .init("Swish") { unary("silu", ["alpha": $0.float("alpha", default: 1)]) },
        .init("LeakyRelu") { unary("leakyrelu", ["alpha": $0.float("alpha", default: 0.01)]) },
        .init("HardSigmoid") { unary("hardsigmoid", ["alpha": $0.float("alpha", default: 0.2), "beta": $0.float("beta", default: 0.5)]) },
        .init("Gelu") { node in
            switch node.string("approximate", default: "none") {
            case "none": unary("gelu")
            case "tanh": unary("gelu_tanh")
            case let other: throw RoostError.unsupported("\(node.label): Gelu approximate='\(other)' (expected none or tanh)")
            }
        },
    ]
}
