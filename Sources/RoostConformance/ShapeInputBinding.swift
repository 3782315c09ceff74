import RoostONNX

/// Pins shape-like graph inputs as constants, the way a user would when compiling
/// a model whose Reshape target, Slice bounds, Resize sizes, … arrive as inputs.
///
/// Roost compiles static shapes and refuses such a model ("… must be a
/// compile-time constant"). The backend node tests feed these operands as graph
/// inputs with fixed values in each test data set, so the runner may bind them:
/// each data set's values become initializers, the model is compiled again for
/// that data set, and the remaining (data) inputs are fed as usual. Only inputs
/// whose every use is a shape-like operand (`ShapeOperandTable`) are bound; an
/// input that also feeds data is never bound, nor is a graph output.
public enum ShapeInputBinding {
    /// The graph inputs (not initializers) whose every use is a shape-like operand
    /// position, in graph-input order. Empty when a node carries a subgraph (its
    /// uses could not all be seen).
    public static func bindableInputs(of graph: Onnx_GraphProto) -> [String] {
        if graph.node.contains(where: { n in n.attribute.contains { $0.type == .graph || $0.type == .graphs } }) { return [] }
        let initializers = Set(graph.initializer.map(\.name))
        let outputs = Set(graph.output.map(\.name))
        var shapeUses: [String: Int] = [:]
        var dataUse: Set<String> = []
        for node in graph.node {
            for (index, name) in node.input.enumerated() where !name.isEmpty {
                if ShapeOperandTable.isShapeOperand(opType: node.opType, domain: node.domain, index: index) {
                    shapeUses[name, default: 0] += 1
                } else {
                    dataUse.insert(name)
                }
            }
        }
        return graph.input.map(\.name).filter { name in
            !initializers.contains(name) && !outputs.contains(name) && !dataUse.contains(name) && shapeUses[name, default: 0] > 0
        }
    }

    /// The input a compile error says must be a compile-time constant, or nil when
    /// the error is something else. The compiler's wording (RoostCompiler's
    /// `Graph.constant`): "… its ROLE input 'NAME' must be a compile-time constant …".
    public static func nonConstantOperand(in message: String) -> String? {
        guard let tail = message.range(of: "' must be a compile-time constant"),
              let head = message[..<tail.lowerBound].range(of: " input '", options: .backwards) else { return nil }
        return String(message[head.upperBound..<tail.lowerBound])
    }

    /// Whether the runner rebinds a case whose compile failed with `message`: the
    /// operand it names is a graph input that is only ever used as a shape-like operand.
    public static func shouldBind(afterCompileError message: String, graph: Onnx_GraphProto) -> Bool {
        guard let name = nonConstantOperand(in: message) else { return false }
        return bindableInputs(of: graph).contains(name)
    }

    /// `model` with `values` (input name → tensor, as read from a test data set)
    /// as initializers and those names removed from the graph inputs.
    public static func bind(_ values: [String: Onnx_TensorProto], into model: ONNXModel) -> ONNXModel {
        var bound = model
        var graph = bound.proto.graph
        for info in graph.input {
            guard var tensor = values[info.name] else { continue }
            tensor.name = info.name
            graph.initializer.append(tensor)
        }
        graph.input.removeAll { values[$0.name] != nil }
        bound.proto.graph = graph
        return bound
    }
}
