import Foundation

/// Reference inputs and the outputs they must produce: the accuracy gate every
/// job carries. From the model's own test data when the user gave one, else
/// computed by the scheduler's reference path.
public struct ReferenceData: Codable, Sendable, Equatable {
    /// `user` (the model's test_data_set) or `scheduler` (computed on upload).
    public var source: String
    public var inputs: [WireTensor]
    public var outputs: [WireTensor]
    public init(source: String, inputs: [WireTensor], outputs: [WireTensor]) {
        self.source = source
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// A float32 tensor for JSON: shape plus base64 little-endian bytes.
public struct WireTensor: Codable, Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var data: String

    public init(name: String, tensor: HostTensor) {
        self.name = name
        shape = tensor.shape
        data = tensor.data.withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    public func tensor() throws -> HostTensor {
        guard let bytes = Data(base64Encoded: data), shape.allSatisfy({ $0 >= 0 }),
              bytes.count == shape.reduce(1, *) * 4 else {
            throw RoostError.invalidArgument("reference tensor '\(name)' is malformed")
        }
        let values = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        return HostTensor(shape: shape, data: values)
    }
}
