import RoostCore

/// ONNX `Gemm`: Y = alpha·op(A)·op(B) + beta·C, C broadcast to [M, N].
/// Lowered to a BLAS sgemm; a following activation may be fused in.
public struct GemmLowering: OperatorLowering {
    public let opType = "Gemm"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let (m, k, n) = try dims(node, graph)
        if node.inputs.count > 2, !node.inputs[2].isEmpty {
            let c = try graph.shape(of: node.inputs[2])
            guard Broadcast.isUnidirectional(c, to: [m, n]) else {
                throw RoostError.invalidModel("\(node.label): bias shape \(c) does not broadcast to [\(m), \(n)]")
            }
        }
        _ = k
        return [[m, n]]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let (m, k, n) = try dims(node, graph)
        var attrs: [String: PlanAttribute] = [
            "m": .int(m), "k": .int(k), "n": .int(n),
            // Normalized to 0/1: ONNX treats any nonzero as true, the kernel reads exactly 1.
            "transA": .int(node.int("transA", default: 0) != 0 ? 1 : 0), "transB": .int(node.int("transB", default: 0) != 0 ? 1 : 0),
            "alpha": .float(node.float("alpha", default: 1)), "beta": .float(node.float("beta", default: 1)),
        ]
        if node.inputs.count > 2, !node.inputs[2].isEmpty { attrs["biasShape"] = .ints(try graph.shape(of: node.inputs[2])) }
        attrs.merge(try ActivationFusion.kernelAttributes(of: node)) { a, _ in a }
        return LoweredKernel(kernel: "gemm", attributes: attrs)
    }

    private func dims(_ node: Node, _ graph: Graph) throws -> (Int, Int, Int) {
        guard node.inputs.count >= 2 else { throw RoostError.invalidModel("\(node.label) needs inputs A and B") }
        let a = try graph.shape(of: node.inputs[0]), b = try graph.shape(of: node.inputs[1])
        guard a.count == 2, b.count == 2 else { throw RoostError.invalidModel("\(node.label): A \(a) and B \(b) must be 2-D") }
        let transA = node.int("transA", default: 0) != 0, transB = node.int("transB", default: 0) != 0
        let (m, ka) = transA ? (a[1], a[0]) : (a[0], a[1])
        let (kb, n) = transB ? (b[1], b[0]) : (b[0], b[1])
        guard ka == kb else { throw RoostError.invalidModel("\(node.label): inner dimensions differ (A \(a), B \(b))") }
        return (m, ka, n)
    }
}
