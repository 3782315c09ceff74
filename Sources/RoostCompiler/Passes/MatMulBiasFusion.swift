import RoostCore

/// Folds `Add(MatMul(A, B), bias)` (either operand order) into the MatMul when the
/// bias is a constant row of N elements — the form `torch.nn.Linear` exports for
/// 3-D inputs. The bias then seeds the output before sgemm accumulates onto it,
/// saving a pass over memory, and an activation after the Add can fuse into the MatMul.
public struct MatMulBiasFusion: GraphPass {
    public let name = "matmul-bias-fusion"
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var i = 0
        while i < graph.nodes.count {
            let add = graph.nodes[i]
            guard add.opType == "Add", add.domain.isEmpty, add.inputs.count == 2, let out = add.outputs.first else { i += 1; continue }
            var fused = false
            for (mmOut, bias) in [(add.inputs[0], add.inputs[1]), (add.inputs[1], add.inputs[0])] {
                guard let p = graph.nodes.firstIndex(where: { $0.outputs.first == mmOut }), p < i,
                      graph.nodes[p].opType == "MatMul", graph.nodes[p].domain.isEmpty, graph.nodes[p].inputs.count == 2,
                      graph.nodes[p].attributes["roost.activation"] == nil,
                      graph.useCount(of: mmOut) == 1,
                      let b = graph.constants[bias], let y = graph.shapes[mmOut], let n = y.last,
                      y.count >= 2, b.elementCount == n, b.shape.count <= y.count, b.shape.last == n || n == 1 else { continue }
                graph.nodes[p].inputs.append(bias)
                graph.nodes[p].outputs[0] = out
                graph.nodes[p].name += "+" + add.name
                graph.nodes.remove(at: i)
                graph.shapes[mmOut] = nil
                fused = true
                break
            }
            if !fused { i += 1 }
        }
    }
}
