import Foundation
import Testing
import RoostConformance
import RoostCore
import RoostONNX
import RoostTestSupport

/// Which graph inputs the runner binds as constants: shape-like operands only,
/// never an input that also feeds data.
@Suite struct ShapeInputBindingTests {
    static let x = HostTensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])

    /// y = Reshape(x, shape), `shape` a graph input of type int64; with
    /// `alsoData`, `shape` also feeds z = shape + shape, a data position.
    func reshapeModel(alsoData: Bool) -> Onnx_ModelProto {
        var b = ModelBuilder(name: "reshape", opset: 13)
        let x = b.input("x", shape: [2, 3])
        let shape = b.input("shape", shape: [2])
        b.node("Reshape", [x, shape], output: "y")
        b.output("y", shape: [3, 2])
        if alsoData {
            b.node("Add", [shape, shape], output: "z")
            b.output("z", shape: [2])
        }
        var m = b.build()
        m.graph.input[1].type.tensorType.elemType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        return m
    }

    static func int64(_ values: [Int64], name: String) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = [Int64(values.count)]
        t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        t.int64Data = values
        return t
    }

    @Test func aShapeOperandIsBoundAndADataInputIsNot() throws {
        let shapeOnly = reshapeModel(alsoData: false).graph
        #expect(ShapeInputBinding.bindableInputs(of: shapeOnly) == ["shape"])  // x feeds data: never bound
        let message = "Reshape node 'reshape_1': its shape input 'shape' must be a compile-time constant (Roost compiles static shapes)"
        #expect(ShapeInputBinding.nonConstantOperand(in: message) == "shape")
        #expect(ShapeInputBinding.shouldBind(afterCompileError: message, graph: shapeOnly))
        #expect(!ShapeInputBinding.shouldBind(afterCompileError: "operator Softsign is not supported", graph: shapeOnly))

        let mixed = reshapeModel(alsoData: true).graph
        #expect(ShapeInputBinding.bindableInputs(of: mixed).isEmpty)
        #expect(!ShapeInputBinding.shouldBind(afterCompileError: message, graph: mixed))

        #expect(ShapeOperandTable.isShapeOperand(opType: "Slice", index: 2))
        #expect(!ShapeOperandTable.isShapeOperand(opType: "Slice", index: 0))
        #expect(!ShapeOperandTable.isShapeOperand(opType: "Reshape", domain: "com.example", index: 1))
    }

    @Test func bindingMakesTheInputAnInitializer() throws {
        let model = try ONNXModel(data: try reshapeModel(alsoData: false).serializedData())
        let bound = ShapeInputBinding.bind(["shape": Self.int64([3, 2], name: "")], into: model)
        #expect(bound.proto.graph.input.map(\.name) == ["x"])
        #expect(bound.proto.graph.initializer.map(\.name) == ["shape"])
        #expect(try TensorProtoCodec.decode(bound.proto.graph.initializer[0]).data == [3, 2])
    }

    /// Two data sets with different shape values: each is compiled with its own.
    func writeCase(_ root: URL, _ name: String, model: Onnx_ModelProto, sets: [[Int64]], alsoData: Bool) throws {
        let dir = root.appendingPathComponent("node").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try model.serializedData().write(to: dir.appendingPathComponent("model.onnx"))
        for (i, shape) in sets.enumerated() {
            let data = dir.appendingPathComponent("test_data_set_\(i)")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try TensorProtoCodec.write(Self.x, name: "x", to: data.appendingPathComponent("input_0.pb"))
            try Self.int64(shape, name: "shape").serializedData().write(to: data.appendingPathComponent("input_1.pb"))
            let y = HostTensor(shape: shape.map { Int($0) }, data: Self.x.data)
            try TensorProtoCodec.write(y, name: "y", to: data.appendingPathComponent("output_0.pb"))
            if alsoData {
                try TensorProtoCodec.write(HostTensor(shape: [2], data: shape.map { Float(2 * $0) }), name: "z",
                                           to: data.appendingPathComponent("output_1.pb"))
            }
        }
    }

    @Test func theRunnerBindsPerDataSetAndReportsIt() throws {
        let root = try TestEnvironment.temporaryDirectory("roost-conformance-bind")
        defer { try? FileManager.default.removeItem(at: root) }
        try writeCase(root, "test_reshape_bound", model: reshapeModel(alsoData: false), sets: [[3, 2], [6, 1]], alsoData: false)
        try writeCase(root, "test_reshape_shape_also_data", model: reshapeModel(alsoData: true), sets: [[3, 2]], alsoData: true)

        let report = try ConformanceRunner(directory: root).run()
        let byName = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0) })
        #expect(byName["test_reshape_bound"]?.outcome == .passed)
        #expect(byName["test_reshape_bound"]?.boundInputs == ["shape"])
        guard case .skipped(let reason)? = byName["test_reshape_shape_also_data"]?.outcome else {
            Issue.record("an input that also feeds data must not be bound")
            return
        }
        #expect(reason.message.contains("must be a compile-time constant"))
        #expect(byName["test_reshape_shape_also_data"]?.boundShapeInputs == false)
        #expect(report.passedBound == 1)
        #expect(report.summary().suffix(2) == ["of which 1 passed with shape-like inputs bound as constants",
                                               "1 passed, 0 failed, 1 skipped"])

        let unbound = try ConformanceRunner(directory: root, bindShapeInputs: false).run()
        #expect(unbound.summaryLine == "0 passed, 0 failed, 2 skipped")
        #expect(unbound.passedBound == 0)
    }
}
