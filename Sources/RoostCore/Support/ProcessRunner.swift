import Foundation

/// Runs a helper program to completion and captures its output: the PostgreSQL
/// tools, `nvidia-smi` and other short commands.
public struct ProcessRunner: Sendable {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var succeeded: Bool { status == 0 }
    }

    public init() {}

    public func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    currentDirectory: URL? = nil, timeout: Double = 120) throws -> Output {
        let dir = FileManager.default.temporaryDirectory
        let outFile = dir.appendingPathComponent("roost-run-\(UUID().uuidString).out")
        let errFile = dir.appendingPathComponent("roost-run-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        var env = environment
        if environment == nil && currentDirectory != nil { env = ProcessInfo.processInfo.environment }
        let child = try ChildProcess(executable, arguments, environment: env, stdout: outFile, stderr: errFile, workingDirectory: currentDirectory)
        guard let exit = child.wait(timeout: timeout) else {
            child.stop(grace: 0.5)
            throw RoostError.io("\(executable) \(arguments.joined(separator: " ")) timed out after \(Int(timeout)) s")
        }
        let status: Int32 = switch exit {
        case .exited(let code): code
        case .signaled(let sig): 128 + sig
        }
        return Output(status: status,
                      stdout: (try? String(contentsOf: outFile, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errFile, encoding: .utf8)) ?? "")
    }

    /// Finds an executable on PATH.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A value guarded by a lock, for handing results across threads.
public final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    public init(_ value: T) { self.value = value }
    public func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
    public func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    public func update<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}
