/// Fuses an activation into the Gemm that produces its only input, so the
/// activation runs on data still in cache instead of as a second pass over memory.
public struct ActivationFusion: GraphPass {
    public let name = "activation-fusion"
    public static let fusable: [String: String] = ["Relu": "relu"]
    public static let producers: Set<String> = ["Gemm"]
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var i = 0
        while i < graph.nodes.count {
            let act = graph.nodes[i]
            guard act.domain.isEmpty, let kind = Self.fusable[act.opType], let input = act.inputs.first, let output = act.outputs.first,
                  let p = graph.nodes.firstIndex(where: { $0.outputs.first == input }),
                  Self.producers.contains(graph.nodes[p].opType),
                  graph.nodes[p].attributes["roost.activation"] == nil,
                  graph.useCount(of: input) == 1 else { i += 1; continue }
            graph.nodes[p].attributes["roost.activation"] = .string(kind)
            graph.nodes[p].outputs[0] = output
            graph.nodes[p].name += "+" + act.name
            graph.nodes.remove(at: i)
            graph.shapes[input] = nil
        }
    }
}
