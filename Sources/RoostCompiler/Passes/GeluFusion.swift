import RoostCore

/// Rewrites the exact-GELU subgraph PyTorch exports,
/// `x · 0.5 · (1 + Erf(x / √2))`, into one `Gelu` node (opset-20 semantics,
/// approximate = none), so it runs as one pass over memory or fuses into its producer.
///
/// Matched shapes (Add and Mul operands in either order):
/// - `Erf(Div(x, √2))` or `Erf(Mul(x, 1/√2))`, then `a = Add(·, 1)`, then
/// - `Mul(Mul(x, a), 0.5)`, `Mul(Mul(x, 0.5), a)` or `Mul(x, Mul(a, 0.5))`.
/// Every intermediate must have no other consumer.
public struct GeluFusion: GraphPass {
    public let name = "gelu-fusion"
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var i = 0
        while i < graph.nodes.count {
            if let match = self.match(erfAt: i, in: graph) {
                apply(match, to: &graph)
                i = 0
            } else {
                i += 1
            }
        }
    }

    struct Match {
        var x: String
        var output: String
        var removed: Set<Int>
        var last: Int
        var names: [String]
    }

    func match(erfAt index: Int, in graph: Graph) -> Match? {
        let nodes = graph.nodes
        let erf = nodes[index]
        guard erf.opType == "Erf", erf.domain.isEmpty, erf.inputs.count == 1, erf.outputs.count == 1 else { return nil }
        func producer(_ v: String) -> Int? { nodes.firstIndex { $0.outputs.contains(v) } }
        func consumers(_ v: String) -> [Int] { nodes.indices.filter { nodes[$0].inputs.contains(v) } }
        func singleUse(_ v: String) -> Int? {
            let c = consumers(v)
            return c.count == 1 && !graph.outputs.contains(v) && nodes[c[0]].inputs.filter({ $0 == v }).count == 1 ? c[0] : nil
        }
        func scalar(_ v: String, _ expected: Float) -> Bool {
            guard let c = graph.constants[v], c.data.count == 1 else { return false }
            return abs(c.data[0] - expected) <= 1e-4 * abs(expected)
        }
        /// For a binary node with one scalar-constant operand equal to `value`, the other operand.
        func other(_ n: Node, _ op: String, constant value: Float, commutative: Bool = true) -> String? {
            guard n.opType == op, n.domain.isEmpty, n.inputs.count == 2 else { return nil }
            if scalar(n.inputs[1], value) { return n.inputs[0] }
            if commutative, scalar(n.inputs[0], value) { return n.inputs[1] }
            return nil
        }

        // x / √2 feeding the Erf.
        guard let d = producer(erf.inputs[0]), singleUse(erf.inputs[0]) == index else { return nil }
        guard let x = other(nodes[d], "Div", constant: Float(2).squareRoot(), commutative: false)
            ?? other(nodes[d], "Mul", constant: 1 / Float(2).squareRoot()) else { return nil }
        // a = 1 + erf
        guard let ai = singleUse(erf.outputs[0]), other(nodes[ai], "Add", constant: 1) == erf.outputs[0] else { return nil }
        let a = nodes[ai].outputs[0]
        guard let mi = singleUse(a), nodes[mi].opType == "Mul", nodes[mi].inputs.count == 2 else { return nil }
        let m = nodes[mi]
        let partner = m.inputs[0] == a ? m.inputs[1] : m.inputs[0]
        var removed: Set<Int> = [d, index, ai, mi]
        let last: Int
        if partner == x, let hi = singleUse(m.outputs[0]), other(nodes[hi], "Mul", constant: 0.5) == m.outputs[0] {
            // Mul(Mul(x, a), 0.5)
            removed.insert(hi)
            last = hi
        } else if let pi = producer(partner), other(nodes[pi], "Mul", constant: 0.5) == x, singleUse(partner) == mi {
            // Mul(Mul(x, 0.5), a)
            removed.insert(pi)
            last = mi
        } else if other(m, "Mul", constant: 0.5) == a, let oi = singleUse(m.outputs[0]), nodes[oi].opType == "Mul",
                  nodes[oi].inputs.contains(x), nodes[oi].inputs.contains(m.outputs[0]) {
            // Mul(x, Mul(a, 0.5))
            removed.insert(oi)
            last = oi
        } else {
            return nil
        }
        // x is read by the Div/Mul at `d`, so it is defined before `last`, where Gelu goes.
        return Match(x: x, output: nodes[last].outputs[0], removed: removed, last: last,
                     names: removed.sorted().map { nodes[$0].name })
    }

    func apply(_ match: Match, to graph: inout Graph) {
        let gelu = Node(name: match.names.joined(separator: "+"), opType: "Gelu", inputs: [match.x], outputs: [match.output])
        for i in match.removed where i != match.last {
            for o in graph.nodes[i].outputs { graph.shapes[o] = nil; graph.types[o] = nil }
        }
        graph.nodes[match.last] = gelu
        graph.nodes = graph.nodes.enumerated().filter { !match.removed.contains($0.offset) || $0.offset == match.last }.map(\.element)
    }
}
