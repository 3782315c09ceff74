import Foundation

/// Reads one `tegrastats` line (NVIDIA Jetson).
///
/// On a Jetson the GPU shares system RAM and `nvidia-smi` is absent or minimal, so
/// tegrastats is the recorded evidence that a GPU (`GR3D_FREQ`) exists, and it also
/// gives the RAM total and CPU count when nothing else was recorded.
public struct TegrastatsLine: Sendable, Equatable {
    /// Total RAM in MiB from `RAM used/totalMB`.
    public var ramTotalMiB: Int?
    /// Number of entries in `CPU [..]` (offline cores print `off` and still count).
    public var cpuCount: Int?
    /// True when the line reports the integrated GPU (`GR3D_FREQ`).
    public var hasGPU: Bool

    public init(_ text: String) {
        let line = text.split(separator: "\n").first { $0.contains("RAM ") || $0.contains("GR3D") }.map(String.init) ?? ""
        let tokens = line.split(separator: " ").map(String.init)
        ramTotalMiB = tokens.firstIndex(of: "RAM").flatMap { index -> Int? in
            guard index + 1 < tokens.count else { return nil }
            let usage = tokens[index + 1]  // e.g. 4321/62801MB
            guard let slash = usage.firstIndex(of: "/") else { return nil }
            return Int(usage[usage.index(after: slash)...].prefix { $0.isNumber })
        }
        if let open = line.range(of: "CPU ["), let close = line[open.upperBound...].firstIndex(of: "]") {
            let entries = line[open.upperBound..<close].split(separator: ",")
            cpuCount = entries.isEmpty ? nil : entries.count
        } else {
            cpuCount = nil
        }
        hasGPU = line.contains("GR3D")
    }
}
