import Foundation

/// Reads a recorded machine: a folder of files captured on real hardware.
///
/// Folder layout (see shared/probe-fixtures/SOURCES.md): `proc-cpuinfo`,
/// `proc-meminfo`, `device-tree-model`, a `sys/` tree mirroring `/sys`, and tool
/// outputs such as `lscpu.txt` or `nvidia-smi-q.xml`. A missing file reads as
/// "not on this machine", exactly like a missing file on a live system.
public struct FixtureSource: ProbeSource {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Fixture file name for a Linux path: `/sys/...` keeps its tree, `/proc/x` and
    /// `/etc/x` become `proc-x` and `etc-x`, and both device-tree spellings map to
    /// `device-tree-model`.
    public static func fileName(for path: String) -> String {
        switch path {
        case "/proc/device-tree/model", "/sys/firmware/devicetree/base/model":
            return "device-tree-model"
        default:
            let trimmed = path.drop { $0 == "/" }
            if trimmed.hasPrefix("sys/") { return String(trimmed) }
            return trimmed.replacingOccurrences(of: "/", with: "-")
        }
    }

    /// Fixture file holding a command's recorded output.
    public static func fileName(for command: ProbeCommand) -> String {
        switch command {
        case .unameMachine: "uname-m.txt"
        case .unameRelease: "uname-r.txt"
        case .hostname: "hostname.txt"
        case .lscpu: "lscpu.txt"
        case .nvidiaSMIQueryGPU: "nvidia-smi-query-gpu.csv"
        case .nvidiaSMIXML: "nvidia-smi-q.xml"
        case .nvidiaSMIText: "nvidia-smi-q.txt"
        case .nvidiaSMIVersion: "nvidia-smi-version.txt"
        case .tegrastats: "tegrastats.txt"
        }
    }

    public func read(_ path: String) -> String? {
        load(Self.fileName(for: path))
    }

    public func list(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + Self.fileName(for: path))) ?? []
    }

    public func run(_ command: ProbeCommand) -> String? {
        // An empty recording means the tool printed nothing, i.e. it failed.
        guard let text = load(Self.fileName(for: command)),
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return text
    }

    /// Affinity is a property of the running process, which a recording does not have.
    public func affinity() -> [Int] { [] }

    private func load(_ name: String) -> String? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
