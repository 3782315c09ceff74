import RoostCore

/// Folds an inference-mode `BatchNormalization` into the `Conv` that produces its
/// input: with a = scale / √(var + ε), the conv's weights become W·a (per output
/// channel) and its bias (b − mean)·a + B — one kernel instead of two passes.
///
/// Applies only when the conv's output feeds nothing else, every parameter is a
/// constant and BN runs in inference mode; otherwise BN stays a kernel of its own.
/// The folded tensors are new constants, so a weight shared with another node is
/// left intact.
public struct BatchNormFolding: GraphPass {
    public let name = "batchnorm-folding"
    public init() {}

    public func run(_ graph: inout Graph) throws {
        var i = 0
        while i < graph.nodes.count {
            if try fold(at: i, &graph) { continue }
            i += 1
        }
    }

    private func fold(at i: Int, _ graph: inout Graph) throws -> Bool {
        let bn = graph.nodes[i]
        guard bn.domain.isEmpty, bn.opType == "BatchNormalization", bn.inputs.count == 5,
              bn.int("training_mode", default: 0) == 0,
              let output = bn.outputs.first, !output.isEmpty,
              bn.outputs.dropFirst().allSatisfy({ $0.isEmpty || graph.useCount(of: $0) == 0 }),
              let x = bn.inputs.first,
              let p = graph.nodes.firstIndex(where: { $0.outputs.first == x }), p < i else { return false }
        let conv = graph.nodes[p]
        guard conv.domain.isEmpty, conv.opType == "Conv", conv.outputs.count == 1,
              conv.attributes[ActivationFusion.kindAttribute] == nil, conv.attributes[ConvProblem.residualAttribute] == nil,
              conv.inputs.count >= 2, conv.inputs.count <= 3,
              graph.useCount(of: x) == 1,
              let w = graph.constants[conv.inputs[1]], let m = w.shape.first, m > 0, w.data.count % m == 0 else { return false }
        let params = bn.inputs[1...].compactMap { graph.constants[$0]?.data }
        guard params.count == 4, params.allSatisfy({ $0.count == m }) else { return false }
        let (scale, shift, mean, variance) = (params[0], params[1], params[2], params[3])
        let hasBias = conv.inputs.count == 3 && !conv.inputs[2].isEmpty
        var bias = [Float](repeating: 0, count: m)
        if hasBias {
            guard let b = graph.constants[conv.inputs[2]], b.data.count == m else { return false }
            bias = b.data
        }
        let epsilon = Double(bn.float("epsilon", default: 1e-5))
        let per = w.data.count / m
        var weights = w.data
        var folded = [Float](repeating: 0, count: m)
        for c in 0..<m {
            let a = Double(scale[c]) / (Double(variance[c]) + epsilon).squareRoot()
            for k in 0..<per { weights[c * per + k] = Float(Double(weights[c * per + k]) * a) }
            folded[c] = Float((Double(bias[c]) - Double(mean[c])) * a + Double(shift[c]))
        }
        let weightName = unique("\(conv.name).bn_weight", in: graph)
        graph.constants[weightName] = HostTensor(shape: w.shape, data: weights)
        graph.types[weightName] = .float32
        let biasName = unique("\(conv.name).bn_bias", in: graph)
        graph.constants[biasName] = HostTensor(shape: [m], data: folded)
        graph.types[biasName] = .float32

        var fused = conv
        fused.inputs = [conv.inputs[0], weightName, biasName]
        fused.outputs = [output]
        fused.name += "+" + bn.name
        graph.nodes[p] = fused
        graph.nodes.remove(at: i)
        graph.shapes[x] = nil
        return true
    }

    private func unique(_ base: String, in graph: Graph) -> String {
        var name = base
        var n = 1
        while graph.constants[name] != nil || graph.shapes[name] != nil {
            n += 1
            name = "\(base).\(n)"
        }
        return name
    }
}
