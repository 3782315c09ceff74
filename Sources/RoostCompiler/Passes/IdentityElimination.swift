/// Removes `Identity` and inference-mode `Dropout` nodes by rewiring their consumers.
public struct IdentityElimination: GraphPass {
    public let name = "identity-elimination"
    /// Operators this pass removes, so no kernel is needed for them.
    public static let removable: Set<String> = ["Identity", "Dropout"]
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var i = 0
        while i < graph.nodes.count {
            let node = graph.nodes[i]
            guard node.domain.isEmpty, Self.removable.contains(node.opType),
                  let input = node.inputs.first, let output = node.outputs.first,
                  !graph.outputs.contains(output) else { i += 1; continue }
            // A Dropout whose mask output is consumed must stay.
            if node.outputs.count > 1, !node.outputs[1].isEmpty, graph.useCount(of: node.outputs[1]) > 0 { i += 1; continue }
            graph.nodes.remove(at: i)
            graph.replaceUses(of: output, with: input)
        }
    }
}
