import RoostCore

/// ONNX `Flatten`: a reshape to 2-D around `axis`. Lowered to a copy; the memory
/// planner may later alias it away.
public struct FlattenLowering: OperatorLowering {
    public let opType = "Flatten"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        guard let x = node.inputs.first else { throw RoostError.invalidModel("\(node.label) has no input") }
        let s = try graph.shape(of: x)
        var axis = node.int("axis", default: 1)
        if axis < 0 { axis += s.count }
        guard (0...s.count).contains(axis) else { throw RoostError.invalidModel("\(node.label): axis out of range for shape \(s)") }
        return [[s[..<axis].reduce(1, *), s[axis...].reduce(1, *)]]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel { LoweredKernel(kernel: "copy") }
}
