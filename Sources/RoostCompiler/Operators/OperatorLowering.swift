import RoostCore

/// How the compiler understands one ONNX operator: its output shapes and the
/// runtime kernel (with attributes) that executes it. One type per operator.
public protocol OperatorLowering: Sendable {
    var opType: String { get }
    func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]]
    /// Element types of the outputs; by default the first input's type.
    func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType]
    func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel
}

extension OperatorLowering {
    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] {
        let t = node.inputs.first { !$0.isEmpty }.map { graph.type(of: $0) } ?? .float32
        return Array(repeating: t, count: node.outputs.count)
    }
}

/// The runtime kernel a node becomes.
public struct LoweredKernel: Sendable {
    public var kernel: String
    public var attributes: [String: PlanAttribute]
    public init(kernel: String, attributes: [String: PlanAttribute] = [:]) {
        self.kernel = kernel
        self.attributes = attributes
    }
}

/// The operators this compiler supports, by ONNX op type (default domain).
public struct OperatorRegistry: Sendable {
    private let lowerings: [String: any OperatorLowering]

    public init(_ lowerings: [any OperatorLowering]) {
        self.lowerings = Dictionary(lowerings.map { ($0.opType, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Every operator family the compiler knows; each family lists its lowerings in its own file.
    public static let standard = OperatorRegistry(CoreOperators.all + TensorOperators.all + CNNOperators.all)

    public var supportedOperators: [String] { lowerings.keys.sorted() }

    public func lowering(for node: Node, opset: Int) throws -> any OperatorLowering {
        guard node.domain.isEmpty || node.domain == "ai.onnx", let l = lowerings[node.opType] else {
            let domain = node.domain.isEmpty ? "ai.onnx" : node.domain
            throw RoostError.unsupported("operator \(node.opType) (domain \(domain), opset \(opset)) used by node '\(node.name)' is not supported; supported: \(supportedOperators.joined(separator: ", "))")
        }
        return l
    }
}
