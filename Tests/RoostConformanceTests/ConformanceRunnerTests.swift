import Foundation
import Testing
import RoostConformance
import RoostCore
import RoostONNX
import RoostTestSupport

/// The runner on a hand-made case folder in the backend-test layout: one Gemm
/// case that passes, one whose reference output is wrong, one unsupported.
@Suite struct ConformanceRunnerTests {
    /// y = x·W + b, x [2, 3], W [3, 2], computed by hand.
    static let x = HostTensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    static let w = HostTensor(shape: [3, 2], data: [1, 0, 0, 1, 1, 1])
    static let bias = HostTensor(shape: [2], data: [0.5, -1])
    static let y = HostTensor(shape: [2, 2], data: [1 + 3 + 0.5, 2 + 3 - 1, 4 + 6 + 0.5, 5 + 6 - 1])

    func writeCase(_ root: URL, _ name: String, model: ModelBuilder, inputs: [(String, HostTensor)], outputs: [(String, HostTensor)]) throws {
        let dir = root.appendingPathComponent("node").appendingPathComponent(name)
        let data = dir.appendingPathComponent("test_data_set_0")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try model.serialized().write(to: dir.appendingPathComponent("model.onnx"))
        for (i, (n, t)) in inputs.enumerated() { try TensorProtoCodec.write(t, name: n, to: data.appendingPathComponent("input_\(i).pb")) }
        for (i, (n, t)) in outputs.enumerated() { try TensorProtoCodec.write(t, name: n, to: data.appendingPathComponent("output_\(i).pb")) }
    }

    func gemmModel() -> ModelBuilder {
        var b = ModelBuilder(name: "gemm", opset: 13)
        let x = b.input("x", shape: [2, 3])
        let w = b.initializer("w", Self.w)
        let c = b.initializer("c", Self.bias)
        b.node("Gemm", [x, w, c], output: "y")
        b.output("y", shape: [2, 2])
        return b
    }

    func makeCases() throws -> URL {
        let root = try TestEnvironment.temporaryDirectory("roost-conformance")
        try writeCase(root, "test_gemm_ok", model: gemmModel(), inputs: [("x", Self.x)], outputs: [("y", Self.y)])
        var wrong = Self.y
        wrong.data[3] += 0.5
        try writeCase(root, "test_gemm_wrong_reference", model: gemmModel(), inputs: [("x", Self.x)], outputs: [("y", wrong)])
        var s = ModelBuilder(name: "softsign", opset: 13)
        let x = s.input("x", shape: [1, 4])
        s.node("Softsign", [x], output: "y")
        s.output("y", shape: [1, 4])
        try writeCase(root, "test_softsign", model: s, inputs: [("x", HostTensor(shape: [1, 4]))], outputs: [("y", HostTensor(shape: [1, 4]))])
        return root
    }

    @Test func countsPassFailSkipAndEndsWithTheSummaryLine() throws {
        let root = try makeCases()
        defer { try? FileManager.default.removeItem(at: root) }
        var started: [String] = []
        let report = try ConformanceRunner(directory: root).run(willRun: { started.append($0) })
        #expect(started == ["test_gemm_ok", "test_gemm_wrong_reference", "test_softsign"])
        #expect(report.passed == 1 && report.failed == 1 && report.skipped == 1)
        #expect(report.summaryLine == "1 passed, 1 failed, 1 skipped")
        #expect(report.summary().last == "1 passed, 1 failed, 1 skipped")
        #expect(report.passedNames == ["test_gemm_ok"])

        let byName = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name, $0) })
        guard case .failed(let why)? = byName["test_gemm_wrong_reference"]?.outcome else {
            Issue.record("wrong reference should fail")
            return
        }
        #expect(why.contains("output 'y'") && why.contains("index 3"), "\(why)")
        guard case .skipped(let reason)? = byName["test_softsign"]?.outcome else {
            Issue.record("Softsign should be skipped")
            return
        }
        #expect(reason.category == .operator && reason.detail == "Softsign")

        let rows = report.perOperator()
        #expect(rows.map(\.operator) == ["Gemm", "Softsign"])
        #expect(rows[0].passed == 1 && rows[0].failed == 1 && rows[0].skipped == 0)
        #expect(rows[1].skipped == 1)
        #expect(report.summary().contains { $0.contains("unsupported operator: 1 (Softsign 1)") })
    }

    @Test func filterAndTheNodeFolderItselfAreAccepted() throws {
        let root = try makeCases()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try ConformanceRunner(directory: root.appendingPathComponent("node")).run(filter: "gemm_ok")
        #expect(report.summaryLine == "1 passed, 0 failed, 0 skipped")
    }

    @Test func expectedListFindsRegressionsAndUpdates() throws {
        let root = try makeCases()
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try ConformanceRunner(directory: root).run()
        let list = ExpectedPassList(parsing: "# comment\ntest_gemm_ok\ntest_gemm_wrong_reference  # used to pass\n\ntest_gone\n")
        #expect(list.names == ["test_gemm_ok", "test_gemm_wrong_reference", "test_gone"])
        let regressions = list.regressions(in: report)
        #expect(regressions.map(\.name) == ["test_gemm_wrong_reference", "test_gone"])
        #expect(list.regressions(in: report, filter: "gemm").map(\.name) == ["test_gemm_wrong_reference"])
        #expect(list.updated(with: report).names == ["test_gemm_ok"])
        let file = root.appendingPathComponent("expected.txt")
        try list.updated(with: report).write(to: file)
        #expect(try ExpectedPassList(contentsOf: file).names == ["test_gemm_ok"])
        #expect(try String(contentsOf: file, encoding: .utf8).hasPrefix("#"))
    }

    @Test func comparisonRulesMatchTheBackendRunner() {
        let c = OutputComparison()
        let e = HostTensor(shape: [4], data: [1, .nan, .infinity, 1000])
        #expect(c.mismatch(HostTensor(shape: [4], data: [1.000001, .nan, .infinity, 1000.9]), e, exact: false) == nil)
        #expect(c.mismatch(HostTensor(shape: [4], data: [1, 0, .infinity, 1000]), e, exact: false) != nil)  // NaN only matches NaN
        #expect(c.mismatch(HostTensor(shape: [4], data: [1, .nan, -.infinity, 1000]), e, exact: false) != nil)
        #expect(c.mismatch(HostTensor(shape: [2, 2], data: [1, .nan, .infinity, 1000]), e, exact: false)?.contains("shape") == true)
        let ints = HostTensor(shape: [2], data: [3, 4])
        #expect(c.mismatch(HostTensor(shape: [2], data: [3, 4.0001]), ints, exact: true) != nil)
        #expect(c.mismatch(HostTensor(shape: [2], data: [3, 4.0001]), ints, exact: false) == nil)
    }
}
