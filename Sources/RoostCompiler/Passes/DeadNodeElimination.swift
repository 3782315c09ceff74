/// Drops nodes whose outputs reach no graph output, and constants nothing reads.
public struct DeadNodeElimination: GraphPass {
    public let name = "dead-node-elimination"
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var live = Set(graph.outputs)
        var kept: [Node] = []
        for node in graph.nodes.reversed() where node.outputs.contains(where: live.contains) {
            kept.append(node)
            live.formUnion(node.inputs.filter { !$0.isEmpty })
        }
        graph.nodes = kept.reversed()
        graph.constants = graph.constants.filter { live.contains($0.key) }
    }
}
