import RoostCore

/// Computes the static shape of every value, in topological order, and checks
/// every node is supported — so unsupported operators fail at compile time.
public struct ShapeInference: GraphPass {
    public let name = "shape-inference"
    public let registry: OperatorRegistry
    public init(registry: OperatorRegistry = .standard) { self.registry = registry }

    public func run(_ graph: inout Graph) throws {
        for node in graph.nodes {
            let lowering = try registry.lowering(for: node, opset: graph.opset)
            for input in node.inputs where !input.isEmpty && graph.shapes[input] == nil && graph.constants[input] == nil {
                throw RoostError.invalidModel("\(node.label) reads '\(input)', which no earlier node produces (graph not topologically sorted?)")
            }
            let shapes = try lowering.outputShapes(node, in: graph)
            for (name, shape) in zip(node.outputs, shapes) where !name.isEmpty {
                // Shapes computed from damaged or hostile models must not overflow later arithmetic.
                _ = try ElementCount.checked(shape, "\(node.label): output '\(name)'")
                graph.shapes[name] = shape
            }
            let types = try lowering.outputTypes(node, in: graph)
            for (name, type) in zip(node.outputs, types) where !name.isEmpty { graph.types[name] = type }
        }
        for output in graph.outputs where graph.shapes[output] == nil && graph.constants[output] == nil {
            throw RoostError.invalidModel("graph output '\(output)' is produced by no node")
        }
    }
}
