import RoostCore

/// ONNX `MaxPool` and `AveragePool` over 1-D or 2-D windows: kernel, strides, pads,
/// dilations, auto_pad and ceil_mode; AveragePool's `count_include_pad` counts the
/// explicit padding but never the overhang that ceil_mode adds (as ONNX Runtime
/// and PyTorch do). Kernels `max_pool` and `average_pool`.
public struct PoolLowering: OperatorLowering {
    public enum Kind: String, Sendable { case max = "MaxPool", average = "AveragePool" }
    public let kind: Kind
    public var opType: String { kind.rawValue }
    public init(_ kind: Kind) { self.kind = kind }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let (x, g) = try analyze(node, graph)
        return [Array(x.prefix(2)) + g.modelOutput]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let (x, g) = try analyze(node, graph)
        var attrs = g.planAttributes
        attrs["planes"] = .int(x[0] * x[1])
        if kind == .average { attrs["countIncludePad"] = .int(node.int("count_include_pad", default: 0) != 0 ? 1 : 0) }
        return LoweredKernel(kernel: kind == .max ? "max_pool" : "average_pool", attributes: attrs)
    }

    private func analyze(_ node: Node, _ graph: Graph) throws -> ([Int], WindowGeometry) {
        guard let input = node.inputs.first, !input.isEmpty else { throw RoostError.invalidModel("\(node.label) needs an input") }
        if kind == .max, node.outputs.count > 1, !node.outputs[1].isEmpty {
            throw RoostError.unsupported("\(node.label): MaxPool's Indices output is not supported")
        }
        let x = try graph.shape(of: input)
        guard x.count == 3 || x.count == 4, x.allSatisfy({ $0 >= 1 }) else {
            throw RoostError.unsupported("\(node.label): input shape \(x); pools support 1-D and 2-D (rank 3 or 4)")
        }
        guard let kernel = node.ints("kernel_shape") else { throw RoostError.invalidModel("\(node.label) has no kernel_shape") }
        let g = try WindowGeometry.forward(node, spatial: Array(x[2...]), kernel: kernel, ceilMode: node.int("ceil_mode", default: 0) != 0)
        return (x, g)
    }
}
