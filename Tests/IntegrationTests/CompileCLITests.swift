import Foundation
import Testing
import RoostCore
import RoostTestSupport

/// `roost compile`, `infer` and `inspect` as a user runs them.
@Suite struct CompileCLITests {
    @Test func compileInferInspectRoundTrip() throws {
        let home = try TestEnvironment.temporaryDirectory("roost-cli")
        defer { try? FileManager.default.removeItem(at: home) }
        let models = home.appendingPathComponent("models")
        #expect(try RoostProcess.run(["models", "generate", "--out", models.path], home: home).status == 0)
        let dir = models.appendingPathComponent("mlp-mnist")
        let artifact = home.appendingPathComponent("m.roost")

        let compile = try RoostProcess.run(["compile", dir.appendingPathComponent("model.onnx").path, "--target", "host", "--out", artifact.path], home: home)
        #expect(compile.status == 0, "\(compile.stderr)")
        // Deterministic: compiling again gives the same bytes.
        let again = home.appendingPathComponent("m2.roost")
        _ = try RoostProcess.run(["compile", dir.appendingPathComponent("model.onnx").path, "--target", "host", "--out", again.path], home: home)
        #expect(try Data(contentsOf: artifact) == Data(contentsOf: again))

        let out = home.appendingPathComponent("out")
        let infer = try RoostProcess.run(["infer", artifact.path, "--input", dir.appendingPathComponent("test_data_set_0/input_0.pb").path, "--output-dir", out.path], home: home)
        #expect(infer.status == 0, "\(infer.stderr)")
        let expected = try Data(contentsOf: dir.appendingPathComponent("test_data_set_0/output_0.pb"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("output_0.pb").path))
        #expect(!expected.isEmpty)

        let inspect = try RoostProcess.run(["inspect", artifact.path], home: home)
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("activation=relu") && inspect.stdout.contains("arena") && inspect.stdout.contains("roostc-"))

        // `roost profile`: one row per plan step, from the artifact and from the ONNX file.
        let profile = try RoostProcess.run(["profile", artifact.path, "--passes", "5", "--json"], home: home)
        #expect(profile.status == 0, "\(profile.stderr)")
        let steps = try JSONSerialization.jsonObject(with: Data(profile.stdout.utf8)) as? [String: Any]
        let decoded = try ArtifactCodec.decode(Data(contentsOf: artifact))
        #expect((steps?["steps"] as? [Any])?.count == decoded.plan.steps.count)
        let table = try RoostProcess.run(["profile", dir.appendingPathComponent("model.onnx").path, "--threads", "1", "--passes", "5", "--top", "2"], home: home)
        #expect(table.status == 0 && table.stdout.contains("by kernel:") && table.stdout.contains("1 thread ·"), "\(table.stdout)\(table.stderr)")
    }

    @Test func badInputsFailCleanly() throws {
        let home = try TestEnvironment.temporaryDirectory("roost-cli")
        defer { try? FileManager.default.removeItem(at: home) }
        let junk = home.appendingPathComponent("junk.onnx")
        try Data("not a model".utf8).write(to: junk)
        let r1 = try RoostProcess.run(["compile", junk.path, "--target", "host", "--out", home.appendingPathComponent("x.roost").path], home: home)
        #expect(r1.status == 1 && r1.stderr.hasPrefix("error: invalid model"), "\(r1.stderr)")
        let r2 = try RoostProcess.run(["compile", junk.path, "--target", "pentium", "--out", "x"], home: home)
        #expect(r2.status == 1 && r2.stderr.contains("unknown target"))
        let fake = home.appendingPathComponent("fake.roost")
        try Data("ROOSTART garbage".utf8).write(to: fake)
        let r3 = try RoostProcess.run(["inspect", fake.path], home: home)
        #expect(r3.status == 1 && r3.stderr.contains("invalid artifact"), "\(r3.stderr)")
        let r4 = try RoostProcess.run(["compile", junk.path, "--target", "host", "--out", "x", "--input-shape", "input=1xbad"], home: home)
        #expect(r4.status == 1 && r4.stderr.contains("--input-shape"))
        let r5 = try RoostProcess.run(["profile", junk.path], home: home)
        #expect(r5.status == 1 && r5.stderr.hasPrefix("error: invalid model"), "\(r5.stderr)")
        let r6 = try RoostProcess.run(["profile", junk.path, "--passes", "0"], home: home)
        #expect(r6.status == 1 && r6.stderr.contains("--passes"), "\(r6.stderr)")
    }
}
