import RoostCore

/// Prepares convolutions for the kernels the runtime will run, once, at compile
/// time: gives every conv that needs im2col/col2im scratch a second output (the
/// workspace) so the memory planner shares one buffer between all of them, and
/// repacks constant ConvTranspose weights to the `[g][M/g·kh·kw][C/g]` layout its
/// sgemm reads. Conv weights need no repacking: OIHW already is sgemm's A operand
/// per group (and depthwise reads it as `[M][kh·kw]`); BN folding has happened.
///
/// Runs after shape inference, and sets the shapes of what it adds.
public struct ConvSpecialization: GraphPass {
    public let name = "conv-specialization"
    public init() {}

    public func run(_ graph: inout Graph) throws {
        for i in graph.nodes.indices where graph.nodes[i].domain.isEmpty {
            switch graph.nodes[i].opType {
            case "Conv":
                let p = try ConvProblem(graph.nodes[i], in: graph)
                addWorkspace(at: i, elements: p.workspaceElements, &graph)
            case "ConvTranspose":
                let p = try ConvTransposeLowering.Problem(graph.nodes[i], in: graph)
                packTransposedWeights(at: i, p, &graph)
                addWorkspace(at: i, elements: p.workspaceElements, &graph)
            default:
                continue
            }
        }
    }

    /// How many conv steps use each algorithm, e.g. `direct-depthwise:17,gemm-1x1:35,im2col-gemm:0`;
    /// nil for a plan without convolutions.
    public static func algorithmSummary(of plan: ExecutionPlan) -> String? {
        let convs = plan.steps.filter { $0.kernel == "conv" }
        guard !convs.isEmpty else { return nil }
        return ConvAlgorithm.allCases.map(\.rawValue).sorted().map { name in
            "\(name):\(convs.filter { $0.attributes["algorithm"]?.string == name }.count)"
        }.joined(separator: ",")
    }

    private func addWorkspace(at i: Int, elements: Int, _ graph: inout Graph) {
        guard elements > 0, graph.nodes[i].outputs.count == 1, let output = graph.nodes[i].outputs.first else { return }
        var name = output + ".workspace"
        while graph.shapes[name] != nil || graph.constants[name] != nil { name += "_" }
        graph.nodes[i].outputs.append(name)
        graph.nodes[i].attributes[ConvLowering.workspaceAttribute] = .int(1)
        graph.shapes[name] = [elements]
        graph.types[name] = .float32
    }

    private func packTransposedWeights(at i: Int, _ p: ConvTransposeLowering.Problem, _ graph: inout Graph) {
        let node = graph.nodes[i]
        guard node.attributes[ConvTransposeLowering.packedAttribute] == nil, let w = graph.constants[node.inputs[1]] else { return }
        let cg = p.channels / p.group, rows = p.columnRows
        guard w.data.count % rows == 0, w.data.count / rows == p.channels else { return }
        // ONNX: W[g·cg + c][r] with r = (m, ky, kx); packed: P[g][r][c].
        var packed = [Float](repeating: 0, count: w.data.count)
        for g in 0..<p.group {
            for c in 0..<cg {
                let src = (g * cg + c) * rows
                for r in 0..<rows { packed[(g * rows + r) * cg + c] = w.data[src + r] }
            }
        }
        var name = node.inputs[1] + ".packed"
        while graph.constants[name] != nil || graph.shapes[name] != nil { name += "_" }
        graph.constants[name] = HostTensor(shape: w.shape, data: packed)
        graph.types[name] = .float32
        graph.nodes[i].inputs[1] = name
        graph.nodes[i].attributes[ConvTransposeLowering.packedAttribute] = .int(1)
    }
}
