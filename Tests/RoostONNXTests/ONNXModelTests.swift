import Foundation
import Testing
import RoostCore
import RoostTestSupport
@testable import RoostONNX

@Suite struct ONNXModelTests {
    @Test(.enabled(if: TestEnvironment.hasSharedModels, TestEnvironment.sharedSkipReason))
    func readsTheSharedMLP() throws {
        let dir = try #require(TestEnvironment.sharedModel("mlp"))
        let model = try ONNXModel.load(from: dir.appendingPathComponent("model.onnx"))
        #expect(model.opsetVersion == 17)
        #expect(model.proto.graph.node.map(\.opType).filter { $0 == "Gemm" }.count == 3)
        #expect(Set(model.proto.graph.node.map(\.opType)) == ["Gemm", "Relu"])
        let input = try TensorProtoCodec.read(from: dir.appendingPathComponent("test_data_set_0/input_0.pb"))
        #expect(input.shape == [1, 784])
        // The digest is the file's, matching info.json's record.
        let info = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("info.json"))) as? [String: Any]
        if let sha = info?["sha256"] as? String { #expect(sha == model.sha256) }
    }

    @Test func tensorProtoRoundTrip() throws {
        let t = HostTensor(shape: [2, 3], data: [1, -2, 3.5, 0, 1e-7, 42])
        let back = try TensorProtoCodec.decode(TensorProtoCodec.encode(t, name: "x"))
        #expect(back == t)
    }

    @Test func decodesTypedFieldsAndIntegers() throws {
        var p = Onnx_TensorProto()
        p.dims = [3]
        p.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        p.int64Data = [1, -7, 9]
        #expect(try TensorProtoCodec.decode(p).data == [1, -7, 9])
        p.int64Data = [1]
        #expect(throws: RoostError.self) { try TensorProtoCodec.decode(p) }
    }

    @Test func refusesGarbageWithAClearError() throws {
        #expect(throws: RoostError.self) { try ONNXModel(data: Data()) }
        #expect(throws: RoostError.self) { try ONNXModel(data: Data("definitely not protobuf \u{1}\u{2}\u{3}".utf8)) }
        let missing = URL(fileURLWithPath: "/nonexistent/model.onnx")
        #expect { try ONNXModel.load(from: missing) } throws: { "\($0)".contains("cannot read") }
    }

    @Test func builderWritesLoadableModels() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roost-suite-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let urls = try ReferenceSuite.write(to: dir)
        #expect(urls.count == ReferenceSuite.models.count)
        for url in urls {
            let m = try ONNXModel.load(from: url)
            #expect(m.proto.graph.output.first?.name == "output")
        }
        // Deterministic: the same seed gives the same bytes.
        let again = dir.appendingPathComponent("again")
        let urls2 = try ReferenceSuite.write(to: again)
        #expect(try Data(contentsOf: urls[0]) == Data(contentsOf: urls2[0]))
    }
}
