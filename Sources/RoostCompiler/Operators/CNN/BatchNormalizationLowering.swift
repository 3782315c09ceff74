import RoostCore

/// ONNX `BatchNormalization` in inference mode, for the instances
/// `BatchNormFolding` could not fold into a Conv: y = (x − mean)·scale/√(var + ε) + B
/// per channel (axis 1). Kernel `batch_norm`, inputs `[X, scale, B, mean, var]`.
public struct BatchNormalizationLowering: OperatorLowering {
    public let opType = "BatchNormalization"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let x = try check(node, graph)
        return [x] + Array(repeating: [x[1]], count: max(0, node.outputs.count - 1))
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let x = try check(node, graph)
        return LoweredKernel(kernel: "batch_norm", attributes: [
            "batch": .int(x[0]), "channels": .int(x[1]), "planeSize": .int(x[2...].reduce(1, *)),
            "epsilon": .float(node.float("epsilon", default: 1e-5)),
        ])
    }

    private func check(_ node: Node, _ graph: Graph) throws -> [Int] {
        guard node.int("training_mode", default: 0) == 0 else {
            throw RoostError.unsupported("\(node.label): training_mode = 1 (Roost runs inference only)")
        }
        guard node.outputs.dropFirst().allSatisfy({ $0.isEmpty || graph.useCount(of: $0) == 0 }) else {
            throw RoostError.unsupported("\(node.label): running mean/variance outputs exist only in training mode")
        }
        guard node.inputs.count == 5, node.inputs.allSatisfy({ !$0.isEmpty }) else {
            throw RoostError.invalidModel("\(node.label) needs inputs X, scale, B, input_mean and input_var")
        }
        let x = try graph.shape(of: node.inputs[0])
        guard x.count >= 2, x.allSatisfy({ $0 >= 1 }) else { throw RoostError.invalidModel("\(node.label): input shape \(x) has no channel axis") }
        for name in node.inputs[1...] {
            let s = try graph.shape(of: name)
            guard s.reduce(1, *) == x[1], s.count <= 1 else {
                throw RoostError.invalidModel("\(node.label): parameter '\(name)' has shape \(s), expected [\(x[1])]")
            }
        }
        return x
    }
}
