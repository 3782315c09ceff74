import Foundation
import RoostCore

/// Where tests find what they need: the repository, the shared reference data
/// and the built `roost` binary. The test database is in `RoostTestDatabase`.
public enum TestEnvironment {
    /// The repository root (the directory holding Package.swift).
    public static let packageRoot: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the clone (CI always has it; a user's clone may not).
    public static let sharedDirectory: URL? = {
        let env = ProcessInfo.processInfo.environment["ROOST_SHARED"].map { URL(fileURLWithPath: $0) }
        let candidate = env ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("models").path) ? candidate : nil
    }()

    public static var hasSharedModels: Bool { sharedDirectory != nil }
    public static let sharedSkipReason: Comment = "../shared/models is not present beside this clone; tests on the reference models are skipped"

    public static func sharedModel(_ name: String) -> URL? {
        sharedDirectory?.appendingPathComponent("models").appendingPathComponent(name)
    }

    /// A Python with onnxruntime (the project's `.venv`, made by `make venv`), or nil.
    public static let onnxRuntimePython: String? = {
        let candidates = [ProcessInfo.processInfo.environment["ROOST_ORT_PYTHON"], packageRoot.appendingPathComponent(".venv/bin/python").path].compactMap { $0 }
        for python in candidates where FileManager.default.isExecutableFile(atPath: python) {
            if let r = try? ProcessRunner().run(python, ["-c", "import onnxruntime"], timeout: 60), r.succeeded { return python }
        }
        return nil
    }()
    /// A Python with openvino (the project's `.venv`), or nil.
    public static let openVINOPython: String? = {
        let candidates = [ProcessInfo.processInfo.environment["ROOST_ORT_PYTHON"], packageRoot.appendingPathComponent(".venv/bin/python").path].compactMap { $0 }
        for python in candidates where FileManager.default.isExecutableFile(atPath: python) {
            if let r = try? ProcessRunner().run(python, ["-c", "import openvino"], timeout: 60), r.succeeded { return python }
        }
        return nil
    }()
    public static let onnxRuntimeSkipReason: Comment = "no Python with onnxruntime (run 'make venv'); ONNX Runtime engine tests are skipped"

    /// Debian's `chromium` (installed by `make deps`) for the headless dashboard test, or nil.
    public static let chromium: String? = {
        let candidates = [ProcessInfo.processInfo.environment["ROOST_CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    public static let chromiumSkipReason: Comment = "no chromium on this machine (make deps installs Debian's chromium); the headless dashboard test is skipped"

    /// Where tests keep files worth looking at afterwards (screenshots): `.build/test-artifacts`.
    public static func artifactsDirectory() throws -> URL {
        let dir = packageRoot.appendingPathComponent(".build/test-artifacts")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The `roost` executable under test.
    public static let roostBinary: URL = {
        if let env = ProcessInfo.processInfo.environment["ROOST_BIN"] { return URL(fileURLWithPath: env) }
        return packageRoot.appendingPathComponent(".build/debug/roost")
    }()

    public static func temporaryDirectory(_ prefix: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

import Testing
