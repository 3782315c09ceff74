import RoostCore

/// Folds what attention exports around its MatMuls into the GEMM call itself:
/// - a scalar `Mul(v, c)` / `Div(v, c)` on an operand becomes the GEMM's alpha
///   (`roost.alpha`), as in `(q·s) @ (kᵀ·s)`;
/// - a `Transpose` that only swaps an operand's last two dims becomes sgemm's
///   transA/transB flag (`roost.transA`/`roost.transB`), so `kᵀ` is never materialized.
/// Each folded node must have the MatMul as its only consumer.
public struct MatMulOperandFusion: GraphPass {
    public let name = "matmul-operand-fusion"
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var changed = true
        while changed {
            changed = false
            for i in graph.nodes.indices where graph.nodes[i].opType == "MatMul" && graph.nodes[i].domain.isEmpty {
                for slot in 0..<min(2, graph.nodes[i].inputs.count) where try fuse(operand: slot, of: i, in: &graph) {
                    changed = true
                    break
                }
                if changed { break }
            }
        }
    }

    /// Tries one rewrite on operand `slot` of the MatMul at `index`.
    private func fuse(operand slot: Int, of index: Int, in graph: inout Graph) throws -> Bool {
        let value = graph.nodes[index].inputs[slot]
        guard !value.isEmpty, graph.useCount(of: value) == 1,
              let p = graph.nodes.firstIndex(where: { $0.outputs.first == value }), p < index else { return false }
        let producer = graph.nodes[p]
        guard producer.domain.isEmpty, producer.outputs.count == 1 else { return false }
        switch producer.opType {
        case "Mul", "Div":
            guard producer.inputs.count == 2 else { return false }
            let candidates = producer.opType == "Mul" ? [(0, 1), (1, 0)] : [(0, 1)]
            for (v, c) in candidates {
                guard let scalar = graph.constants[producer.inputs[c]], scalar.elementCount == 1, scalar.data[0].isFinite,
                      scalar.data[0] != 0 || producer.opType == "Mul",
                      let vShape = graph.shapes[producer.inputs[v]] ?? graph.constants[producer.inputs[v]]?.shape,
                      vShape == graph.shapes[value], !graph.type(of: value).isInteger else { continue }
                let factor = producer.opType == "Mul" ? scalar.data[0] : 1 / scalar.data[0]
                let alpha = graph.nodes[index].float("roost.alpha", default: 1) * factor
                graph.nodes[index].attributes["roost.alpha"] = .float(alpha)
                absorb(p, into: index, replacing: slot, with: producer.inputs[v], in: &graph)
                return true
            }
            return false
        case "Transpose":
            guard let input = producer.inputs.first, let shape = graph.shapes[input] ?? graph.constants[input]?.shape,
                  shape.count >= 2, let perm = producer.ints("perm") else { return false }
            let r = shape.count
            let swapLast = Array(0..<(r - 2)) + [r - 1, r - 2]
            guard perm == swapLast else { return false }
            let key = slot == 0 ? "roost.transA" : "roost.transB"
            let flag = graph.nodes[index].int(key, default: 0) == 0 ? 1 : 0
            graph.nodes[index].attributes[key] = .int(flag)
            absorb(p, into: index, replacing: slot, with: input, in: &graph)
            return true
        default:
            return false
        }
    }

    private func absorb(_ producer: Int, into index: Int, replacing slot: Int, with input: String, in graph: inout Graph) {
        let removed = graph.nodes[producer]
        graph.nodes[index].inputs[slot] = input
        graph.nodes[index].name = removed.name + "+" + graph.nodes[index].name
        graph.shapes[removed.outputs[0]] = nil
        graph.nodes.remove(at: producer)
    }
}
