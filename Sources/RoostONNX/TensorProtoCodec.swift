import Foundation
import RoostCore
import SwiftProtobuf

/// Converts between ONNX `TensorProto`s (initializers, `Constant` values and the
/// `test_data_set_N/*.pb` files) and host tensors.
public enum TensorProtoCodec {
    /// Decodes any numeric tensor as float32. Integer tensors (shapes, indices) keep
    /// their values exactly up to 2^24, far beyond any shape PyTorch exports.
    public static func decode(_ t: Onnx_TensorProto) throws -> HostTensor {
        let shape = t.dims.map { Int($0) }
        let count = try ElementCount.checked(shape, "tensor '\(t.name)'")
        let values: [Float]
        let type = Onnx_TensorProto.DataType(rawValue: Int(t.dataType)) ?? .undefined
        if !t.rawData.isEmpty {
            values = try decodeRaw(t.rawData, type: type, name: t.name)
        } else {
            switch type {
            case .float: values = t.floatData
            case .double: values = t.doubleData.map { Float($0) }
            case .int64: values = t.int64Data.map { Float($0) }
            case .int32, .int16, .int8, .uint8, .uint16, .bool: values = t.int32Data.map { Float($0) }
            case .uint32, .uint64: values = t.uint64Data.map { Float($0) }
            default: throw RoostError.unsupported("tensor '\(t.name)' has data type \(type) (only numeric tensors are supported)")
            }
        }
        guard values.count == count else {
            throw RoostError.invalidModel("tensor '\(t.name)' has \(values.count) values for shape \(shape)")
        }
        return HostTensor(shape: shape, data: values)
    }

    public static func encode(_ tensor: HostTensor, name: String = "") -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = tensor.shape.map { Int64($0) }
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        t.rawData = tensor.data.withUnsafeBytes { Data($0) }
        return t
    }

    public static func read(from url: URL) throws -> HostTensor {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw RoostError.io("cannot read \(url.path): \(error.localizedDescription)") }
        do {
            return try decode(try Onnx_TensorProto(serializedBytes: data))
        } catch let e as RoostError { throw e } catch {
            throw RoostError.invalidArgument("\(url.lastPathComponent) is not an ONNX TensorProto: \(error)")
        }
    }

    public static func write(_ tensor: HostTensor, name: String = "", to url: URL) throws {
        try encode(tensor, name: name).serializedData().write(to: url)
    }

    private static func decodeRaw(_ raw: Data, type: Onnx_TensorProto.DataType, name: String) throws -> [Float] {
        func load<T>(_: T.Type, _ convert: (T) -> Float) throws -> [Float] {
            let size = MemoryLayout<T>.size
            guard raw.count % size == 0 else { throw RoostError.invalidModel("tensor '\(name)' raw data is not a multiple of \(size) bytes") }
            return raw.withUnsafeBytes { buf in
                (0..<(raw.count / size)).map { convert(buf.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
            }
        }
        switch type {
        case .float:
            // The common case (every weight): one copy, not a per-element closure,
            // which in debug builds took most of a 2.6 MB model's compile time.
            // Raw data is little endian, as are all hosts Roost targets.
            guard raw.count % 4 == 0 else { throw RoostError.invalidModel("tensor '\(name)' raw data is not a multiple of 4 bytes") }
            return HugePages.floats(count: raw.count / 4) { _ = raw.copyBytes(to: $0) }
        case .double: return try load(Double.self) { Float($0) }
        case .int64: return try load(Int64.self) { Float($0) }
        case .int32: return try load(Int32.self) { Float($0) }
        case .int16: return try load(Int16.self) { Float($0) }
        case .int8: return try load(Int8.self) { Float($0) }
        case .uint8, .bool: return try load(UInt8.self) { Float($0) }
        case .uint16: return try load(UInt16.self) { Float($0) }
        case .uint32: return try load(UInt32.self) { Float($0) }
        case .uint64: return try load(UInt64.self) { Float($0) }
        case .float16: return try load(UInt16.self) { Float(Float16(bitPattern: $0)) }
        default: throw RoostError.unsupported("tensor '\(name)' has data type \(type)")
        }
    }
}
