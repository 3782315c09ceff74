import RoostCore

/// The static facts of one Conv node — channels, groups, window, algorithm and
/// fused epilogue inputs — checked once and shared by shape inference, lowering
/// and the specialization pass, so all three agree.
public struct ConvProblem: Sendable {
    public var batch: Int
    public var channels: Int
    public var outChannels: Int
    public var group: Int
    public var geometry: WindowGeometry
    public var algorithm: ConvAlgorithm
    public var hasBias: Bool
    /// A fused residual input (`roost.residual`), added before the activation.
    public var residual: String?
    public var outputShape: [Int]
    /// Float32 elements of im2col scratch (0 for algorithms that need none).
    public var workspaceElements: Int

    /// Node attribute marking that input 3 is a residual fused into the epilogue.
    public static let residualAttribute = "roost.residual"

    public init(_ node: Node, in graph: Graph) throws {
        guard node.inputs.count >= 2, !node.inputs[0].isEmpty, !node.inputs[1].isEmpty else {
            throw RoostError.invalidModel("\(node.label) needs inputs X and W")
        }
        let x = try graph.shape(of: node.inputs[0]), w = try graph.shape(of: node.inputs[1])
        guard x.count == 3 || x.count == 4 else {
            throw RoostError.unsupported("\(node.label): input rank \(x.count) (shape \(x)); Conv supports 1-D and 2-D (rank 3 or 4)")
        }
        guard w.count == x.count else { throw RoostError.invalidModel("\(node.label): weight \(w) and input \(x) ranks differ") }
        guard x.allSatisfy({ $0 >= 1 }), w.allSatisfy({ $0 >= 1 }) else {
            throw RoostError.invalidModel("\(node.label): empty input \(x) or weight \(w)")
        }
        let group = node.int("group", default: 1)
        guard group >= 1, x[1] % group == 0, w[0] % group == 0 else {
            throw RoostError.invalidModel("\(node.label): group \(group) must divide input channels \(x[1]) and output channels \(w[0])")
        }
        guard w[1] == x[1] / group else {
            throw RoostError.invalidModel("\(node.label): weight \(w) expects \(w[1] * group) input channels, input \(x) has \(x[1])")
        }
        let kernel = Array(w[2...])
        if let declared = node.ints("kernel_shape"), declared != kernel {
            throw RoostError.invalidModel("\(node.label): kernel_shape \(declared) differs from the weight's \(kernel)")
        }
        batch = x[0]
        channels = x[1]
        outChannels = w[0]
        self.group = group
        geometry = try WindowGeometry.forward(node, spatial: Array(x[2...]), kernel: kernel)
        algorithm = ConvAlgorithm.choose(channels: channels, outChannels: outChannels, group: group, geometry: geometry)
        outputShape = [batch, outChannels] + geometry.modelOutput
        guard let workspace = algorithm.workspaceElements(channels: channels, group: group, geometry: geometry) else {
            throw RoostError.unsupported("\(node.label): the im2col scratch for input \(x) and weight \(w) is too large")
        }
        workspaceElements = workspace
        hasBias = node.inputs.count > 2 && !node.inputs[2].isEmpty
        if hasBias {
            let b = try graph.shape(of: node.inputs[2])
            guard b.reduce(1, *) == outChannels, b.count <= 1 else {
                throw RoostError.invalidModel("\(node.label): bias shape \(b) must be [\(outChannels)]")
            }
        }
        if node.attributes[Self.residualAttribute]?.int == 1 {
            guard node.inputs.count > 3, !node.inputs[3].isEmpty else {
                throw RoostError.invalidModel("\(node.label): marked with a fused residual but has no fourth input")
            }
            let r = try graph.shape(of: node.inputs[3])
            guard r == outputShape else {
                throw RoostError.invalidModel("\(node.label): fused residual shape \(r) differs from the output \(outputShape)")
            }
            residual = node.inputs[3]
        } else {
            guard node.inputs.count <= 3 else { throw RoostError.invalidModel("\(node.label) has \(node.inputs.count) inputs; Conv takes at most 3") }
            residual = nil
        }
    }
}
