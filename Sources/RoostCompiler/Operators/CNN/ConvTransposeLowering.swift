import RoostCore

/// ONNX `ConvTranspose` (1-D and 2-D; groups, strides, pads, output_padding,
/// output_shape, dilations, auto_pad, optional bias): per group one sgemm
/// `col = Wᵀ·X` then a col2im scatter-add into the output.
///
/// Kernel `conv_transpose`, inputs `[X, W, B?]`, outputs `[Y, workspace?]`. ONNX
/// stores W as `[C, M/g, kh, kw]`; `ConvSpecialization` repacks constant weights to
/// `[g][M/g·kh·kw][C/g]` (attribute `weightLayout` = `packed`) so the sgemm reads A
/// untransposed; weights computed at run time keep the ONNX layout (`iohw`).
public struct ConvTransposeLowering: OperatorLowering {
    public let opType = "ConvTranspose"
    public init() {}

    /// Node attribute the specialization pass sets once the weights are repacked.
    public static let packedAttribute = "roost.packedWeights"

    /// The static facts of one ConvTranspose node.
    public struct Problem: Sendable {
        public var batch: Int, channels: Int, outChannels: Int, group: Int
        public var geometry: WindowGeometry
        public var outputPadding: [Int]
        public var outputShape: [Int]
        /// Rows of the per-group sgemm result, M/g·kh·kw, and the col2im scratch they need.
        public var columnRows: Int
        public var workspaceElements: Int

        public init(_ node: Node, in graph: Graph) throws {
            guard node.inputs.count >= 2, node.inputs.count <= 3, !node.inputs[0].isEmpty, !node.inputs[1].isEmpty else {
                throw RoostError.invalidModel("\(node.label) needs inputs X and W (and an optional B)")
            }
            let x = try graph.shape(of: node.inputs[0]), w = try graph.shape(of: node.inputs[1])
            guard x.count == 3 || x.count == 4 else {
                throw RoostError.unsupported("\(node.label): input rank \(x.count) (shape \(x)); ConvTranspose supports 1-D and 2-D")
            }
            guard w.count == x.count, x.allSatisfy({ $0 >= 1 }), w.allSatisfy({ $0 >= 1 }) else {
                throw RoostError.invalidModel("\(node.label): weight \(w) does not fit input \(x)")
            }
            let group = node.int("group", default: 1)
            guard group >= 1, x[1] % group == 0, w[0] == x[1] else {
                throw RoostError.invalidModel("\(node.label): weight \(w) must have \(x[1]) input channels divisible by group \(group)")
            }
            let kernel = Array(w[2...])
            if let declared = node.ints("kernel_shape"), declared != kernel {
                throw RoostError.invalidModel("\(node.label): kernel_shape \(declared) differs from the weight's \(kernel)")
            }
            batch = x[0]
            channels = x[1]
            outChannels = w[1] * group
            self.group = group
            (geometry, outputPadding) = try WindowGeometry.transposed(node, spatial: Array(x[2...]), kernel: kernel)
            outputShape = [batch, outChannels] + geometry.modelOutput
            var rows = w[1], elements = 0, overflow = false
            for f in geometry.kernel where !overflow { (rows, overflow) = rows.multipliedReportingOverflow(by: f) }
            if !overflow { (elements, overflow) = rows.multipliedReportingOverflow(by: geometry.input[0] * geometry.input[1]) }
            guard !overflow else { throw RoostError.unsupported("\(node.label): the col2im scratch for input \(x) and weight \(w) is too large") }
            (columnRows, workspaceElements) = (rows, elements)
            if node.inputs.count == 3, !node.inputs[2].isEmpty {
                let b = try graph.shape(of: node.inputs[2])
                guard b.reduce(1, *) == outChannels, b.count <= 1 else {
                    throw RoostError.invalidModel("\(node.label): bias shape \(b) must be [\(outChannels)]")
                }
            }
        }
    }

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let p = try Problem(node, in: graph)
        return [p.outputShape] + (try ConvLowering.workspaceShapes(node, elements: p.workspaceElements))
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let p = try Problem(node, in: graph)
        var attrs = p.geometry.planAttributes
        attrs["batch"] = .int(p.batch)
        attrs["channels"] = .int(p.channels)
        attrs["outChannels"] = .int(p.outChannels)
        attrs["group"] = .int(p.group)
        attrs["algorithm"] = .string("gemm-col2im")
        attrs["weightLayout"] = .string(node.attributes[Self.packedAttribute]?.int == 1 ? "packed" : "iohw")
        attrs.merge(try ActivationFusion.kernelAttributes(of: node)) { a, _ in a }
        return LoweredKernel(kernel: "conv_transpose", attributes: attrs)
    }
}
