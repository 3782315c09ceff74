import RoostCore

/// ONNX `Range(start, limit, delta)`: its length fixes the output shape, so the
/// inputs must be constants (and the node is then folded away).
public struct RangeLowering: OperatorLowering {
    public let opType = "Range"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [[try params(node, graph).count]] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let p = try params(node, graph)
        return LoweredKernel(kernel: "range", attributes: ["start": .float(Float(p.start)), "delta": .float(Float(p.delta))])
    }

    private func params(_ node: Node, _ graph: Graph) throws -> (start: Double, delta: Double, count: Int) {
        func scalar(_ i: Int, _ role: String) throws -> Double {
            let c = try graph.constant(i, of: node, role)
            guard c.data.count == 1, c.data[0].isFinite else { throw RoostError.invalidModel("\(node.label): \(role) must be a finite scalar") }
            return Double(c.data[0])
        }
        let start = try scalar(0, "start"), limit = try scalar(1, "limit"), delta = try scalar(2, "delta")
        guard delta != 0 else { throw RoostError.invalidModel("\(node.label): delta is 0") }
        let steps = ((limit - start) / delta).rounded(.up)
        guard steps < Double(1 << 31) else { throw RoostError.invalidModel("\(node.label): \(steps) elements is too many") }
        let count = max(Int(steps), 0)
        return (start, delta, count)
    }
}
