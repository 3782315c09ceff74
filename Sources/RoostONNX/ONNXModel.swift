import Foundation
import RoostCore
import SwiftProtobuf

/// A decoded ONNX model with its identity. Weights stored in external files beside
/// the model (PyTorch does this above 2 GB) are loaded into the initializers.
public struct ONNXModel: Sendable {
    public var proto: Onnx_ModelProto
    /// sha256 of the model file's bytes: the model's identity in the farm.
    public let sha256: String
    public let byteCount: Int

    public init(data: Data, baseDirectory: URL? = nil) throws {
        guard !data.isEmpty else { throw RoostError.invalidModel("the file is empty") }
        // The hash and the parse both read every byte; neither needs the other.
        var parsed: Result<Onnx_ModelProto, any Error> = .failure(RoostError.invalidModel("not parsed"))
        var digest = ""
        Overlap.run({ parsed = Result { try Onnx_ModelProto(serializedBytes: data) } }, { digest = Digest.sha256Hex(of: data) })
        do {
            proto = try parsed.get()
        } catch {
            throw RoostError.invalidModel("not an ONNX protobuf (\(error))")
        }
        guard proto.hasGraph, proto.irVersion > 0 else {
            throw RoostError.invalidModel("no graph or ir_version: this is not an ONNX model")
        }
        sha256 = digest
        byteCount = data.count
        if let baseDirectory { try loadExternalData(relativeTo: baseDirectory) }
    }

    public static func load(from url: URL) throws -> ONNXModel {
        let data: Data
        // Mapped, not copied: the parser copies what it keeps, and a 46 MB model
        // read into fresh memory first costs a page fault per 4 KiB.
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw RoostError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        do {
            return try ONNXModel(data: data, baseDirectory: url.deletingLastPathComponent())
        } catch let error as RoostError {
            if case .invalidModel(let m) = error { throw RoostError.invalidModel("\(url.lastPathComponent): \(m)") }
            throw error
        }
    }

    /// The default-domain opset the model was exported with.
    public var opsetVersion: Int {
        Int(proto.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }?.version ?? 0)
    }

    private mutating func loadExternalData(relativeTo base: URL) throws {
        for i in proto.graph.initializer.indices where proto.graph.initializer[i].dataLocation == .external {
            var tensor = proto.graph.initializer[i]
            let entries = Dictionary(tensor.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            guard let location = entries["location"], !location.contains("..") else {
                throw RoostError.invalidModel("initializer '\(tensor.name)' has external data without a safe location")
            }
            let url = base.appendingPathComponent(location)
            guard let handle = try? FileHandle(forReadingFrom: url) else {
                throw RoostError.invalidModel("external data file '\(location)' for '\(tensor.name)' is missing beside the model")
            }
            defer { try? handle.close() }
            let offset = UInt64(entries["offset"] ?? "0") ?? 0
            try handle.seek(toOffset: offset)
            let length = entries["length"].flatMap { Int($0) }
            guard (length ?? 0) >= 0 else { throw RoostError.invalidModel("external data for '\(tensor.name)' has a negative length") }
            let bytes = (length.map { try? handle.read(upToCount: $0) } ?? (try? handle.readToEnd())) ?? nil
            guard let bytes, length == nil || bytes.count == length else {
                throw RoostError.invalidModel("external data for '\(tensor.name)' is truncated")
            }
            tensor.rawData = bytes
            tensor.dataLocation = .default
            tensor.externalData = []
            proto.graph.initializer[i] = tensor
        }
    }
}
