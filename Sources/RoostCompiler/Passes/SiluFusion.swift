import RoostCore

/// Rewrites `Mul(x, Sigmoid(x))` — SiLU as PyTorch exports it (EfficientNet,
/// YOLO, MobileNetV3-style blocks) — into one ONNX `Swish` node (opset 24,
/// alpha 1), so it is one 8-lane pass over memory instead of two, and
/// `ActivationFusion` can hand it to its producer (whose kernel runs that pass
/// over its own output, split over the session's threads). Before the rewrite `x`
/// has two readers, which keeps every producer from taking either node.
///
/// The Sigmoid's output must have no other reader; the Mul's operands may come in
/// either order.
public struct SiluFusion: GraphPass {
    public let name = "silu-fusion"
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var i = 0
        while i < graph.nodes.count {
            if let (sigmoid, x) = match(mulAt: i, in: graph) {
                let mul = graph.nodes[i]
                graph.nodes[i] = Node(name: graph.nodes[sigmoid].name + "+" + mul.name, opType: "Swish",
                                      inputs: [x], outputs: mul.outputs)
                for o in graph.nodes[sigmoid].outputs { graph.shapes[o] = nil; graph.types[o] = nil }
                graph.nodes.remove(at: sigmoid)
                // The Sigmoid came before the Mul: index i now holds the node after the new Swish.
            } else {
                i += 1
            }
        }
    }

    /// For a Mul of x and Sigmoid(x), the Sigmoid's index and x.
    func match(mulAt index: Int, in graph: Graph) -> (Int, String)? {
        let mul = graph.nodes[index]
        guard mul.opType == "Mul", mul.domain.isEmpty, mul.inputs.count == 2, mul.outputs.count == 1 else { return nil }
        for (s, x) in [(mul.inputs[0], mul.inputs[1]), (mul.inputs[1], mul.inputs[0])] where !s.isEmpty && !x.isEmpty && s != x {
            guard let p = graph.nodes.firstIndex(where: { $0.outputs.contains(s) }), p < index else { continue }
            let sigmoid = graph.nodes[p]
            guard sigmoid.opType == "Sigmoid", sigmoid.domain.isEmpty, sigmoid.inputs == [x], sigmoid.outputs == [s],
                  graph.useCount(of: s) == 1, graph.type(of: x) == .float32 else { continue }
            return (p, x)
        }
        return nil
    }
}
