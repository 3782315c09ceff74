import RoostCore

/// ONNX `GlobalAveragePool` / `GlobalMaxPool`: one value per (batch, channel)
/// plane over all spatial axes. Kernels `global_average_pool` / `global_max_pool`.
public struct GlobalPoolLowering: OperatorLowering {
    public let opType: String
    private let kernel: String

    /// `opType` is `GlobalAveragePool` or `GlobalMaxPool`.
    public init(_ opType: String) {
        self.opType = opType
        kernel = opType == "GlobalMaxPool" ? "global_max_pool" : "global_average_pool"
    }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let x = try shape(node, graph)
        return [Array(x.prefix(2)) + Array(repeating: 1, count: x.count - 2)]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let x = try shape(node, graph)
        return LoweredKernel(kernel: kernel, attributes: ["planes": .int(x[0] * x[1]), "planeSize": .int(x[2...].reduce(1, *))])
    }

    private func shape(_ node: Node, _ graph: Graph) throws -> [Int] {
        guard let input = node.inputs.first, !input.isEmpty else { throw RoostError.invalidModel("\(node.label) needs an input") }
        let x = try graph.shape(of: input)
        guard x.count >= 3, x.allSatisfy({ $0 >= 1 }) else {
            throw RoostError.invalidModel("\(node.label): input shape \(x) needs batch, channel and at least one spatial axis")
        }
        return x
    }
}
