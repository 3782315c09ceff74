import RoostCore

/// Composes chains of data-movement nodes (Reshape, Squeeze, Unsqueeze, Transpose,
/// Slice, Expand, Tile, constant-index Gather — anything lowering to `copy` or a
/// padding-free `remap`) into one remap from the chain's root, so PyTorch's
/// attention plumbing (Reshape → Unsqueeze → Transpose → Squeeze → Gather →
/// Reshape → Transpose → Reshape) moves each element once instead of six times.
///
/// Every movement value's index map (which root element each element reads) is
/// computed by evaluating its node on its input's map; a node whose input is
/// itself moved data is rebased onto the root when the composed map is affine.
/// Nodes left without consumers are dropped.
public struct DataMovementFusion: GraphPass {
    public let name = "data-movement-fusion"
    public let registry: OperatorRegistry
    public init(registry: OperatorRegistry = .standard) { self.registry = registry }

    /// Index maps are carried as float32, exact below 2^24 elements; a bigger
    /// output (a broadcast to a huge shape) is left alone rather than enumerated.
    static let maxElements = 1 << 24

    public func run(_ graph: inout Graph) throws {
        let evaluator = ConstantEvaluator(registry: registry)
        // For each moved value: its root value and the root element each element reads.
        var maps: [String: (root: String, map: [Float])] = [:]
        var rewritten = false
        for i in graph.nodes.indices {
            let node = graph.nodes[i]
            guard let input = try movementInput(node, graph), let shape = graph.shapes[input],
                  let outShape = graph.shapes[node.outputs[0]], shape.reduce(1, *) < Self.maxElements,
                  outShape.reduce(1, *) < Self.maxElements else { continue }
            let source = maps[input] ?? (input, (0..<shape.reduce(1, *)).map(Float.init))
            var probe = graph
            probe.constants[input] = HostTensor(shape: shape, data: source.map)
            guard let out = try evaluator.evaluate(node, in: probe)?.first else { continue }
            maps[node.outputs[0]] = (source.root, out.data)
            guard let rootShape = graph.shapes[source.root] ?? graph.constants[source.root]?.shape else { continue }
            let map = out.data.map { Int($0) }
            let identity = map.count == rootShape.reduce(1, *) && map.enumerated().allSatisfy { $0.element == $0.offset }
            // A lone node is rewritten only when it is a reshape in disguise (e.g. a
            // Transpose that moves a unit dim), which the plan turns into a view.
            guard source.root != input || (identity && node.opType != "Reshape") else { continue }
            let replacement: Node
            if identity {
                replacement = Node(name: node.name, opType: "Reshape", inputs: [source.root, try shapeConstant(outShape, for: node, in: &graph)],
                                   outputs: node.outputs, attributes: ["allowzero": .int(1)])
            } else if let remap = IndexRemap.affine(map) {
                replacement = Node(name: node.name, opType: RemapNodeLowering.name, inputs: [source.root], outputs: node.outputs,
                                   attributes: RemapNodeLowering.attributes(remap, shape: outShape))
            } else {
                continue
            }
            graph.nodes[i] = replacement
            rewritten = true
        }
        if rewritten { try DeadNodeElimination().run(&graph) }
    }

    /// The data input of a pure data-movement node (other inputs constant), or nil.
    private func movementInput(_ node: Node, _ graph: Graph) throws -> String? {
        guard node.domain.isEmpty, node.outputs.count == 1, let input = node.inputs.first, !input.isEmpty,
              graph.constants[input] == nil, node.inputs.dropFirst().allSatisfy({ $0.isEmpty || graph.constants[$0] != nil }) else { return nil }
        let lowered = try registry.lowering(for: node, opset: graph.opset).lower(node, in: graph)
        switch lowered.kernel {
        case "copy": return input
        case "remap":
            guard case .ints(let offsets)? = lowered.attributes["offsets"], !offsets.contains(-1) else { return nil }
            return input
        default: return nil
        }
    }

    private func shapeConstant(_ shape: [Int], for node: Node, in graph: inout Graph) throws -> String {
        let name = "\(node.outputs[0])::shape"
        graph.constants[name] = HostTensor(shape: [shape.count], data: shape.map(Float.init))
        graph.types[name] = .int64
        return name
    }
}
