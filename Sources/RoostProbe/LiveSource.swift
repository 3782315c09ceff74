import Foundation
import RoostCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the machine the agent is running on.
public struct LiveSource: ProbeSource {
    /// Deadline for each external tool (nvidia-smi, lscpu).
    public var commandTimeout: TimeInterval

    public init(commandTimeout: TimeInterval = 10) {
        self.commandTimeout = commandTimeout
    }

    public func read(_ path: String) -> String? {
        // FileHandle reads to EOF, which /proc files need: they report a size of 0.
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public func list(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    public func run(_ command: ProbeCommand) -> String? {
        switch command {
        case .unameMachine: return Self.kernelName(release: false)
        case .unameRelease: return Self.kernelName(release: true)
        case .hostname: return Self.hostName()
        case .lscpu: return tool("lscpu", [])
        case .nvidiaSMIQueryGPU:
            let fields = ProbeCommand.nvidiaQueryFields.joined(separator: ",")
            return tool("nvidia-smi", ["--query-gpu=\(fields)", "--format=csv,noheader,nounits"])
        case .nvidiaSMIXML: return tool("nvidia-smi", ["-q", "-x"])
        case .nvidiaSMIText: return tool("nvidia-smi", ["-q"])
        case .nvidiaSMIVersion: return tool("nvidia-smi", ["--version"])
        case .tegrastats: return nil
        }
    }

    public func affinity() -> [Int] {
        CPUAffinity.current()
    }

    /// Stdout of a tool, or nil when it is missing, fails or outlives `commandTimeout`:
    /// a wedged driver can make `nvidia-smi` hang, and the agent must start regardless.
    private func tool(_ name: String, _ arguments: [String]) -> String? {
        let systemDirs = ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin", "/sbin"]
        guard let path = ProcessRunner.which(name)
            ?? systemDirs.map({ $0 + "/" + name }).first(where: FileManager.default.isExecutableFile(atPath:)),
            let output = try? ProcessRunner().run(path, arguments, timeout: commandTimeout),
            output.succeeded else { return nil }
        return output.stdout
    }

    /// A field of `uname(2)`, read natively: spawning `uname` for it would be wasteful.
    private static func kernelName(release: Bool) -> String? {
        var info = utsname()
        guard uname(&info) == 0 else { return nil }
        let value = release ? cString(info.release) : cString(info.machine)
        return value.isEmpty ? nil : value
    }

    /// `gethostname(2)`: `ProcessInfo.hostName` may block on a DNS lookup.
    private static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }

    /// A fixed-size C char array (imported as a tuple) up to its NUL.
    private static func cString<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
