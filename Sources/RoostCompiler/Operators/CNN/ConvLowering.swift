import RoostCore

/// ONNX `Conv` (1-D and 2-D; groups, depthwise, strides, pads, dilations, auto_pad,
/// optional bias) with a fused epilogue: bias, an optional residual input and an
/// activation are applied in one pass over the output.
///
/// Kernel `conv`, inputs `[X, W, B?, residual?]`, outputs `[Y, workspace?]`. The
/// weights are OIHW, which flattened per group is `[M/g, C/g·kh·kw]` row-major —
/// exactly sgemm's A operand, so the compile-time packing keeps that layout.
public struct ConvLowering: OperatorLowering {
    public let opType = "Conv"
    public init() {}

    /// Output attribute marking the second output as the im2col scratch that
    /// `ConvSpecialization` adds, so the arena planner shares it between steps.
    public static let workspaceAttribute = "roost.workspace"

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let p = try ConvProblem(node, in: graph)
        return [p.outputShape] + (try Self.workspaceShapes(node, elements: p.workspaceElements))
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let p = try ConvProblem(node, in: graph)
        var attrs = p.geometry.planAttributes
        attrs["batch"] = .int(p.batch)
        attrs["channels"] = .int(p.channels)
        attrs["outChannels"] = .int(p.outChannels)
        attrs["group"] = .int(p.group)
        attrs["algorithm"] = .string(p.algorithm.rawValue)
        attrs["weightLayout"] = .string("oihw")
        if p.residual != nil { attrs["residual"] = .int(1) }
        attrs.merge(try ActivationFusion.kernelAttributes(of: node)) { a, _ in a }
        return LoweredKernel(kernel: "conv", attributes: attrs)
    }

    static func workspaceShapes(_ node: Node, elements: Int) throws -> [[Int]] {
        guard node.outputs.count > 1 else { return [] }
        guard node.outputs.count == 2, node.attributes[workspaceAttribute]?.int == 1 else {
            throw RoostError.invalidModel("\(node.label) has \(node.outputs.count) outputs; it produces one")
        }
        return [[max(elements, 1)]]
    }
}
