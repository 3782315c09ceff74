/// A graph-to-graph rewrite. Each pass lives in its own file and keeps the graph's
/// meaning; the pipeline order is set by `Compiler`.
public protocol GraphPass: Sendable {
    var name: String { get }
    func run(_ graph: inout Graph) throws
}

extension Graph {
    /// Number of nodes consuming `value`, plus one if it is a graph output.
    func useCount(of value: String) -> Int {
        nodes.reduce(outputs.contains(value) ? 1 : 0) { $0 + $1.inputs.filter { $0 == value }.count }
    }

    mutating func replaceUses(of old: String, with new: String) {
        for i in nodes.indices { nodes[i].inputs = nodes[i].inputs.map { $0 == old ? new : $0 } }
    }
}
