import RoostCore

/// Evaluates one node at compile time when its kernel can be interpreted,
/// returning its outputs as constants (nil: leave the node to the runtime).
public struct ConstantEvaluator: Sendable {
    public let registry: OperatorRegistry
    public init(registry: OperatorRegistry = .standard) { self.registry = registry }

    public func evaluate(_ node: Node, in graph: Graph) throws -> [HostTensor]? {
        let lowering = try registry.lowering(for: node, opset: graph.opset)
        let shapes = try lowering.outputShapes(node, in: graph)
        let kernel = try lowering.lower(node, in: graph)
        let inputs = node.inputs.map { $0.isEmpty ? nil : graph.constants[$0] }
        guard let data = try KernelInterpreter.run(kernel, inputs: inputs, outputShapes: shapes), data.count == shapes.count else { return nil }
        return try zip(shapes, data).map { shape, values in
            guard shape.reduce(1, *) == values.count else {
                throw RoostError.invalidModel("\(node.label): evaluated \(values.count) values for shape \(shape)")
            }
            return HostTensor(shape: shape, data: values)
        }
    }
}
