import RoostCore
import RoostONNX

/// Turns a decoded ONNX model into the compiler's IR: initializers and `Constant`
/// nodes become constants, graph inputs get static shapes (binding symbolic
/// dimensions from `inputShapes`), and attributes become plain Swift values.
public struct ONNXImporter: Sendable {
    public var inputShapes: [String: [Int]]

    public init(inputShapes: [String: [Int]] = [:]) { self.inputShapes = inputShapes }

    /// Opsets 13–21 are what PyTorch exports; 22–25 changed the supported operators
    /// only by admitting new element types, which the importer refuses by type.
    public static let supportedOpsets = 13...25

    public func importGraph(_ model: ONNXModel) throws -> Graph {
        let g = model.proto.graph
        guard ONNXImporter.supportedOpsets.contains(model.opsetVersion) else {
            throw RoostError.unsupported("opset \(model.opsetVersion): Roost imports ONNX opset \(ONNXImporter.supportedOpsets.lowerBound) to \(ONNXImporter.supportedOpsets.upperBound)")
        }
        var constants: [String: HostTensor] = [:]
        var types: [String: ElementType] = [:]
        for t in g.initializer {
            constants[t.name] = try TensorProtoCodec.decode(t)
            types[t.name] = ElementType(onnx: t.dataType)
        }
        for info in g.input + g.output + g.valueInfo where info.type.tensorType.elemType != 0 && types[info.name] == nil {
            types[info.name] = ElementType(onnx: info.type.tensorType.elemType)
        }

        var shapes: [String: [Int]] = [:]
        var inputs: [String] = []
        for input in g.input where constants[input.name] == nil {
            inputs.append(input.name)
            shapes[input.name] = try staticShape(of: input)
        }
        for name in inputShapes.keys where !inputs.contains(name) {
            throw RoostError.invalidArgument("--input-shape names '\(name)', but the model's inputs are: \(inputs.joined(separator: ", "))")
        }

        var nodes: [Node] = []
        for (i, n) in g.node.enumerated() {
            let name = n.name.isEmpty ? "\(n.opType)_\(i)" : n.name
            var attributes: [String: NodeAttribute] = [:]
            for a in n.attribute { attributes[a.name] = try convert(a) }
            if n.opType == "Constant", n.domain.isEmpty, let out = n.output.first {
                constants[out] = try constantValue(attributes, node: name)
                types[out] = Self.constantType(n)
                continue
            }
            // Tensor attributes decode to float32; keep their ONNX type (ConstantOfShape's value).
            for a in n.attribute where a.type == .tensor {
                attributes["roost.\(a.name).type"] = .string(ElementType(onnx: a.t.dataType).rawValue)
            }
            nodes.append(Node(name: name, opType: n.opType, domain: n.domain, inputs: n.input, outputs: n.output, attributes: attributes))
        }
        return Graph(nodes: nodes, inputs: inputs, outputs: g.output.map(\.name), constants: constants, shapes: shapes,
                     types: types, opset: model.opsetVersion)
    }

    private func staticShape(of info: Onnx_ValueInfoProto) throws -> [Int] {
        if let bound = inputShapes[info.name] {
            _ = try ElementCount.checked(bound, "--input-shape \(info.name)", error: RoostError.invalidArgument)
            return bound
        }
        guard info.type.tensorType.hasShape else {
            throw RoostError.invalidModel("input '\(info.name)' has no shape; pass --input-shape \(info.name)=DIMS")
        }
        let shape = try info.type.tensorType.shape.dim.map { d in
            if case .dimValue(let v)? = d.value {
                if v > 0 { return Int(v) }
                if v == 0 { throw RoostError.unsupported("input '\(info.name)' has a zero-sized dimension; empty tensors are not supported") }
                throw RoostError.invalidModel("input '\(info.name)' has a negative dimension \(v)")
            }
            let symbol: String = if case .dimParam(let p)? = d.value { p } else { "?" }
            throw RoostError.invalidArgument("input '\(info.name)' has a symbolic dimension '\(symbol)'; bind it with --input-shape \(info.name)=1x...")
        }
        _ = try ElementCount.checked(shape, "input '\(info.name)'")
        return shape
    }

    /// Attributes of kinds no supported operator uses (graphs, sparse tensors) are
    /// dropped here; the operator check then names the unsupported node instead.
    private func convert(_ a: Onnx_AttributeProto) throws -> NodeAttribute? {
        switch a.type {
        case .int: return .int(Int(a.i))
        case .float: return .float(a.f)
        case .ints: return .ints(a.ints.map { Int($0) })
        case .floats: return .floats(a.floats)
        case .string: return .string(String(decoding: a.s, as: UTF8.self))
        case .tensor: return .tensor(try TensorProtoCodec.decode(a.t))
        default: return nil
        }
    }

    static func constantType(_ n: Onnx_NodeProto) -> ElementType {
        guard let a = n.attribute.first else { return .float32 }
        switch a.type {
        case .tensor: return ElementType(onnx: a.t.dataType)
        case .int, .ints: return .int64
        default: return .float32
        }
    }

    private func constantValue(_ attributes: [String: NodeAttribute], node: String) throws -> HostTensor {
        switch attributes.first?.value {
        case .tensor(let t)?: return t
        case .float(let f)?: return HostTensor(shape: [], data: [f])
        case .floats(let fs)?: return HostTensor(shape: [fs.count], data: fs)
        case .int(let i)?: return HostTensor(shape: [], data: [Float(i)])
        case .ints(let is_)?: return HostTensor(shape: [is_.count], data: is_.map(Float.init))
        default: throw RoostError.unsupported("Constant node '\(node)' has no value Roost can read")
        }
    }
}
