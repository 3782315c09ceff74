import Foundation
import RoostCore
import SwiftProtobuf

/// Builds small ONNX models in code: the models Roost ships for its demo and
/// tests are generated deterministically instead of downloaded or committed.
public struct ModelBuilder {
    private var graph = Onnx_GraphProto()
    private var counter = 0
    public let opset: Int64

    public init(name: String, opset: Int64 = 17) {
        graph.name = name
        self.opset = opset
    }

    public mutating func input(_ name: String, shape: [Int]) -> String {
        graph.input.append(Self.valueInfo(name, shape))
        return name
    }

    public mutating func output(_ name: String, shape: [Int]) {
        graph.output.append(Self.valueInfo(name, shape))
    }

    public mutating func initializer(_ name: String, _ tensor: HostTensor) -> String {
        graph.initializer.append(TensorProtoCodec.encode(tensor, name: name))
        return name
    }

    /// Appends a node and returns its (first) output name.
    @discardableResult
    public mutating func node(_ op: String, _ inputs: [String], output: String? = nil, attributes: [String: NodeAttributeValue] = [:]) -> String {
        counter += 1
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = "\(op.lowercased())_\(counter)"
        n.input = inputs
        n.output = [output ?? "\(n.name)_out"]
        n.attribute = attributes.keys.sorted().map { key in attributes[key]!.proto(named: key) }
        graph.node.append(n)
        return n.output[0]
    }

    public func build() -> Onnx_ModelProto {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.producerName = "roost"
        m.producerVersion = RoostVersion.roost
        var op = Onnx_OperatorSetIdProto()
        op.domain = ""
        op.version = opset
        m.opsetImport = [op]
        m.graph = graph
        return m
    }

    public func serialized() throws -> Data { try build().serializedData() }

    static func valueInfo(_ name: String, _ shape: [Int]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var s = Onnx_TensorShapeProto()
        s.dim = shape.map { d in
            var dim = Onnx_TensorShapeProto.Dimension()
            dim.dimValue = Int64(d)
            return dim
        }
        t.shape = s
        v.type.tensorType = t
        return v
    }
}

/// An attribute value for `ModelBuilder.node`.
public enum NodeAttributeValue {
    case int(Int), float(Float), ints([Int])

    func proto(named name: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        switch self {
        case .int(let v): a.type = .int; a.i = Int64(v)
        case .float(let v): a.type = .float; a.f = v
        case .ints(let v): a.type = .ints; a.ints = v.map { Int64($0) }
        }
        return a
    }
}
