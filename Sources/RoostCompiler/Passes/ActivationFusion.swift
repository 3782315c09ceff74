import RoostCore

/// Fuses epilogues into the node that produces their input, so they run on data
/// still in cache instead of as extra passes over memory:
/// - an activation (`Relu`, `Clip`, `LeakyRelu`, `Sigmoid`, `Tanh`, `HardSigmoid`,
///   `HardSwish`, `Gelu`, `Swish` with alpha 1) into `Conv`, `ConvTranspose`, `Gemm` or `MatMul`;
/// - a residual `Add` of an equal-shape tensor into the `Conv` producing the other
///   operand (ResNet and MobileNetV2 blocks): the conv's epilogue then computes
///   `activation(conv + bias + residual)`.
///
/// What is fused is data, not code: `rules` maps an ONNX operator to an activation
/// kind and its parameters. The contract with every producer's lowering — the
/// attribute names this pass writes on the producer node:
///
/// | node attribute            | type   | meaning                                                        |
/// |---------------------------|--------|----------------------------------------------------------------|
/// | `roost.activation`        | string | `relu`, `clip`, `leakyrelu`, `sigmoid`, `tanh`, `hardsigmoid`, `hardswish`, `gelu` (erf form), `gelu_tanh`, `silu` |
/// | `roost.activation.min`    | float  | clip lower bound; absent = unbounded                            |
/// | `roost.activation.max`    | float  | clip upper bound; absent = unbounded                            |
/// | `roost.activation.alpha`  | float  | LeakyRelu slope; HardSigmoid alpha                              |
/// | `roost.activation.beta`   | float  | HardSigmoid beta                                                |
/// | `roost.residual`          | int 1  | (Conv only) input 3 is a residual added before the activation   |
///
/// A lowering passes the activation on with `ActivationFusion.kernelAttributes(of:)`,
/// which yields the kernel attributes `activation`, `activationMin`, `activationMax`,
/// `activationAlpha` and `activationBeta`; the runtime's `FusedActivation` reads them.
public struct ActivationFusion: GraphPass {
    public let name = "activation-fusion"
    public init() {}

    /// An activation as fused: its kind and float parameters (keys `min`, `max`, `alpha`, `beta`).
    public struct Activation: Sendable, Equatable {
        public var kind: String
        public var parameters: [String: Float]
        public init(kind: String, parameters: [String: Float] = [:]) {
            self.kind = kind
            self.parameters = parameters
        }
    }

    /// Recognizes one fusable operator instance; nil when this instance cannot be
    /// fused (e.g. a Clip whose bounds are computed at run time).
    public typealias Rule = @Sendable (Node, Graph) -> Activation?

    public static let kindAttribute = "roost.activation"
    public static let parameterNames = ["min", "max", "alpha", "beta"]
    /// Every kind the runtime's fused epilogue implements.
    public static let kinds: Set<String> = ["relu", "clip", "leakyrelu", "sigmoid", "tanh", "hardsigmoid", "hardswish", "gelu", "gelu_tanh", "silu"]

    public static let rules: [String: Rule] = [
        "Relu": { _, _ in Activation(kind: "relu") },
        "Clip": { node, graph in clip(node, graph) },
        "LeakyRelu": { node, _ in Activation(kind: "leakyrelu", parameters: ["alpha": node.float("alpha", default: 0.01)]) },
        "Sigmoid": { _, _ in Activation(kind: "sigmoid") },
        "Tanh": { _, _ in Activation(kind: "tanh") },
        "HardSigmoid": { node, _ in
            Activation(kind: "hardsigmoid", parameters: ["alpha": node.float("alpha", default: 0.2), "beta": node.float("beta", default: 0.5)])
        },
        "HardSwish": { _, _ in Activation(kind: "hardswish") },
        "Swish": { node, _ in node.float("alpha", default: 1) == 1 ? Activation(kind: "silu") : nil },
        "Gelu": { node, _ in
            switch node.attributes["approximate"]?.string ?? "none" {
            case "none": Activation(kind: "gelu")
            case "tanh": Activation(kind: "gelu_tanh")
            default: nil
            }
        },
    ]

    /// Operators whose kernels apply a fused activation to their output.
    public static let producers: Set<String> = ["Conv", "ConvTranspose", "Gemm", "MatMul"]
    /// Operators whose kernels add a fused residual input.
    public static let residualProducers: Set<String> = ["Conv"]

    public func run(_ graph: inout Graph) throws {
        var i = 0
        while i < graph.nodes.count {
            let node = graph.nodes[i]
            let fused = node.domain.isEmpty && (node.opType == "Add" ? fuseResidual(at: i, &graph) : fuseActivation(at: i, &graph))
            if !fused { i += 1 }
        }
    }

    /// The kernel attributes for a node's fused activation (empty when it has none).
    public static func kernelAttributes(of node: Node) throws -> [String: PlanAttribute] {
        guard let kind = node.attributes[kindAttribute]?.string else { return [:] }
        guard kinds.contains(kind) else { throw RoostError.invalidModel("\(node.label): unknown fused activation '\(kind)'") }
        var attrs: [String: PlanAttribute] = ["activation": .string(kind)]
        for name in parameterNames {
            if let v = node.attributes["\(kindAttribute).\(name)"]?.float { attrs["activation" + name.prefix(1).uppercased() + name.dropFirst()] = .float(v) }
        }
        return attrs
    }

    private func fuseActivation(at i: Int, _ graph: inout Graph) -> Bool {
        let act = graph.nodes[i]
        guard let rule = Self.rules[act.opType], let input = act.inputs.first, !input.isEmpty,
              act.outputs.count == 1, let output = act.outputs.first, !output.isEmpty,
              graph.type(of: input) == .float32,
              let p = producer(of: input, before: i, in: graph),
              Self.producers.contains(graph.nodes[p].opType), graph.nodes[p].domain.isEmpty,
              graph.nodes[p].attributes[Self.kindAttribute] == nil,
              graph.useCount(of: input) == 1,
              let activation = rule(act, graph) else { return false }
        graph.nodes[p].attributes[Self.kindAttribute] = .string(activation.kind)
        for (key, value) in activation.parameters { graph.nodes[p].attributes["\(Self.kindAttribute).\(key)"] = .float(value) }
        graph.nodes[p].outputs[0] = output
        graph.nodes[p].name += "+" + act.name
        graph.nodes.remove(at: i)
        graph.shapes[input] = nil
        return true
    }

    private func fuseResidual(at i: Int, _ graph: inout Graph) -> Bool {
        let add = graph.nodes[i]
        guard add.inputs.count == 2, add.outputs.count == 1, let output = add.outputs.first, !output.isEmpty else { return false }
        for (a, b) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
            guard !a.isEmpty, !b.isEmpty, a != b,
                  graph.type(of: a) == .float32, graph.type(of: b) == .float32,
                  let p = producer(of: a, before: i, in: graph),
                  Self.residualProducers.contains(graph.nodes[p].opType), graph.nodes[p].domain.isEmpty,
                  graph.nodes[p].outputs.count == 1,
                  graph.nodes[p].attributes[Self.kindAttribute] == nil,
                  graph.nodes[p].attributes[ConvProblem.residualAttribute] == nil,
                  graph.nodes[p].inputs.count <= 3,
                  graph.useCount(of: a) == 1,
                  let shape = try? graph.shape(of: a), (try? graph.shape(of: b)) == shape,
                  isAvailable(b, before: p, in: graph) else { continue }
            var conv = graph.nodes[p]
            while conv.inputs.count < 3 { conv.inputs.append("") }
            conv.inputs.append(b)
            conv.attributes[ConvProblem.residualAttribute] = .int(1)
            conv.outputs[0] = output
            conv.name += "+" + add.name
            graph.nodes[p] = conv
            graph.nodes.remove(at: i)
            graph.shapes[a] = nil
            return true
        }
        return false
    }

    /// Index of the node before `limit` whose first output is `value`.
    private func producer(of value: String, before limit: Int, in graph: Graph) -> Int? {
        guard let p = graph.nodes.firstIndex(where: { $0.outputs.first == value }), p < limit else { return nil }
        return p
    }

    /// Whether `value` exists before node `p` runs: a graph input, a constant or an earlier node's output.
    private func isAvailable(_ value: String, before p: Int, in graph: Graph) -> Bool {
        if graph.inputs.contains(value) || graph.constants[value] != nil { return true }
        guard let q = graph.nodes.firstIndex(where: { $0.outputs.contains(value) }) else { return false }
        return q < p
    }

    /// Clip with bounds from constant inputs (opset ≥ 11) or attributes (older).
    private static func clip(_ node: Node, _ graph: Graph) -> Activation? {
        var parameters: [String: Float] = [:]
        for (index, key) in [(1, "min"), (2, "max")] {
            if node.inputs.count > index, !node.inputs[index].isEmpty {
                guard let c = graph.constants[node.inputs[index]], c.data.count == 1 else { return nil }
                parameters[key] = c.data[0]
            } else if let v = node.attributes[key]?.float {
                parameters[key] = v
            }
        }
        return Activation(kind: "clip", parameters: parameters)
    }
}
