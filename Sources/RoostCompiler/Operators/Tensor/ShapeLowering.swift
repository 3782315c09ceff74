import RoostCore

/// ONNX `Shape` (with opset-15 `start`/`end`). Shapes are static, so the value is
/// known at compile time: constant folding replaces it; otherwise a `constant` kernel.
public struct ShapeLowering: OperatorLowering {
    public let opType = "Shape"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [[try value(node, graph).count]] }
    public func outputTypes(_ node: Node, in graph: Graph) throws -> [ElementType] { [.int64] }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        LoweredKernel(kernel: "constant", attributes: ["values": .floats(try value(node, graph).map(Float.init))])
    }

    func value(_ node: Node, _ graph: Graph) throws -> [Int] {
        let s = try graph.inputShape(0, of: node)
        let r = s.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + r : v, 0), r) }
        let start = clamp(node.int("start", default: 0)), end = clamp(node.int("end", default: r))
        return start < end ? Array(s[start..<end]) : []
    }
}
