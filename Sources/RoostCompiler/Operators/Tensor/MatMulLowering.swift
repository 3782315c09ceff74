import RoostCore

/// ONNX `MatMul`: NumPy matmul semantics (1-D operands promoted and the promoted
/// dims dropped, batch dims broadcast), one `cblas_sgemm` per batch.
///
/// Roost's passes may extend a node with an optional third input (a bias of [N]
/// elements added to every row), `roost.transA`/`roost.transB` (an operand's last two
/// dims were a fused Transpose), `roost.alpha` (fused scalar Mul) and the
/// `roost.activation*` attributes set by activation fusion; all map to kernel
/// attributes applied in the GEMM or its epilogue.
public struct MatMulLowering: OperatorLowering {
    public let opType = "MatMul"
    public init() {}

    struct Layout {
        var m: Int, k: Int, n: Int
        var batch: [Int], aBatch: [Int], bBatch: [Int]
        var output: [Int]
    }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try layout(node, graph).output] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let l = try layout(node, graph)
        var attrs: [String: PlanAttribute] = [
            "m": .int(l.m), "k": .int(l.k), "n": .int(l.n),
            "batch": .ints(l.batch), "aBatch": .ints(l.aBatch), "bBatch": .ints(l.bBatch),
            "transA": .int(node.int("roost.transA", default: 0)), "transB": .int(node.int("roost.transB", default: 0)),
            "alpha": .float(node.float("roost.alpha", default: 1)),
        ]
        if graph.has(2, of: node) {
            let bias = try graph.shape(of: node.inputs[2])
            guard bias.reduce(1, *) == l.n, bias.last == l.n || l.n == 1 else {
                throw RoostError.invalidModel("\(node.label): fused bias \(bias) is not a row of \(l.n) elements")
            }
        }
        attrs.merge(try Self.activationAttributes(node)) { a, _ in a }
        return LoweredKernel(kernel: "matmul", attributes: attrs)
    }

    /// The kernel attributes for a fused activation (`roost.activation` and its parameters).
    static func activationAttributes(_ node: Node) throws -> [String: PlanAttribute] {
        guard let act = node.attributes["roost.activation"]?.string else { return [:] }
        guard ["relu", "clip", "leakyrelu", "gelu", "gelu_tanh", "sigmoid", "tanh", "hardswish", "silu"].contains(act) else {
            throw RoostError.unsupported("\(node.label): fused activation '\(act)'")
        }
        var attrs: [String: PlanAttribute] = ["activation": .string(act)]
        if let v = node.attributes["roost.activation.min"]?.float { attrs["activationMin"] = .anyFloat(v) }
        if let v = node.attributes["roost.activation.max"]?.float { attrs["activationMax"] = .anyFloat(v) }
        if let v = node.attributes["roost.activation.alpha"]?.float { attrs["activationAlpha"] = .anyFloat(v) }
        return attrs
    }

    func layout(_ node: Node, _ graph: Graph) throws -> Layout {
        let a = try graph.inputShape(0, of: node), b = try graph.inputShape(1, of: node)
        guard !a.isEmpty, !b.isEmpty else { throw RoostError.invalidModel("\(node.label): MatMul operands must not be scalars") }
        let transA = node.int("roost.transA", default: 0) != 0, transB = node.int("roost.transB", default: 0) != 0
        let a2 = a.count == 1 ? [1, a[0]] : a, b2 = b.count == 1 ? [b[0], 1] : b
        let (m, ka) = transA ? (a2[a2.count - 1], a2[a2.count - 2]) : (a2[a2.count - 2], a2[a2.count - 1])
        let (kb, n) = transB ? (b2[b2.count - 1], b2[b2.count - 2]) : (b2[b2.count - 2], b2[b2.count - 1])
        guard ka == kb else { throw RoostError.invalidModel("\(node.label): inner dimensions differ (A \(a), B \(b))") }
        let aB = Array(a2.dropLast(2)), bB = Array(b2.dropLast(2))
        guard let batch = Broadcast.multidirectional([aB, bB]) else {
            throw RoostError.invalidModel("\(node.label): batch dimensions of \(a) and \(b) do not broadcast")
        }
        let pad = { (s: [Int]) in Array(repeating: 1, count: batch.count - s.count) + s }
        var output = batch
        if a.count > 1 { output.append(m) }
        if b.count > 1 { output.append(n) }
        return Layout(m: m, k: ka, n: n, batch: batch, aBatch: pad(aB), bBatch: pad(bB), output: output)
    }
}
