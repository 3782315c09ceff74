import Foundation

/// Everything the compiler specializes an artifact on. Two agents with equal
/// specs can run each other's artifacts and produce comparable numbers, so the
/// scheduler compiles once per distinct spec and queues one job per spec.
public struct TargetSpec: Codable, Sendable, Hashable {
    public var isa: IsaLevel
    /// OpenBLAS kernel family to force (`OPENBLAS_CORETYPE`); nil lets OpenBLAS detect.
    public var blasCoreType: String?
    /// Intra-op threads the artifact is planned for.
    public var threads: Int
    /// Engine that will execute the artifact.
    public var engine: String
    /// The engine's version for engines that run the ONNX model themselves
    /// (`openvino` 2026.4.1): results from two versions are different targets.
    /// Nil for the native engine, whose artifacts carry the compiler version.
    public var engineVersion: String?
    /// Where the engine runs (`cpu`, `gpu:NVIDIA H100 80GB HBM3`); nil for the native engine (always the CPU).
    public var device: String?

    public init(isa: IsaLevel, blasCoreType: String?, threads: Int, engine: String = "native", engineVersion: String? = nil, device: String? = nil) {
        self.isa = isa
        self.blasCoreType = blasCoreType
        self.threads = max(1, threads)
        self.engine = engine
        self.engineVersion = engineVersion
        self.device = device
    }

    /// The spec an agent with this hardware runs. Engines other than the native
    /// one carry their version and device, so the signature tells them apart.
    public init(hardware: HardwareProfile, engine: String = "native") {
        var version: String?, device: String?
        if engine != EngineCatalog.native.name {
            version = hardware.engineVersions?[engine]
            switch EngineCatalog.descriptor(named: engine)?.device {
            case .gpu: device = "gpu:" + (hardware.gpus.first?.name ?? "unknown")
            case .cpu: device = "cpu"
            case nil: device = nil
            }
        }
        self.init(
            isa: IsaLevel(profile: hardware), blasCoreType: BLASCoreType.choose(for: hardware),
            threads: hardware.effectiveCPUs, engine: engine, engineVersion: version, device: device)
    }

    /// A named target (`x86_64-avx512`, `x86_64-avx2`, `aarch64-neon`, …) with an
    /// optional thread count suffix, e.g. `x86_64-avx2@2`.
    public init(named name: String) throws {
        let parts = name.split(separator: "@", maxSplits: 1).map(String.init)
        guard let isa = IsaLevel(rawValue: parts[0]) else {
            throw RoostError.invalidArgument(
                "unknown target '\(parts[0])'; known: host, \(IsaLevel.allCases.map(\.rawValue).joined(separator: ", ")), or a probe JSON file")
        }
        var threads = 1
        if parts.count == 2 {
            guard let n = Int(parts[1]), n > 0 else { throw RoostError.invalidArgument("bad thread count in target '\(name)'") }
            threads = n
        }
        let core: String? = switch isa {
        case .x86_64_avx512: "SkylakeX"
        case .x86_64_avx2: "Haswell"
        case .x86_64_sse: "Prescott"
        case .aarch64_sve: "NeoverseV1"
        case .aarch64_neon: "ARMV8"
        case .armv7_neon, .generic: nil
        }
        self.init(isa: isa, blasCoreType: core, threads: threads)
    }

    /// Stable identity of the spec: sha256 of its canonical JSON, first 16 hex digits.
    public var signature: String {
        String(Digest.sha256Hex(of: CanonicalJSON.encode(self)).prefix(16))
    }

    /// Human-readable form for logs and reports: engine version and GPU device
    /// follow the engine when the target has them (`…/2t/openvino 2026.4.1`).
    public var label: String {
        var text = "\(isa.rawValue)/\(blasCoreType ?? "auto")/\(threads)t/\(engine)"
        if let engineVersion { text += " \(engineVersion)" }
        if let device, device != "cpu" { text += " on \(device.hasPrefix("gpu:") ? String(device.dropFirst(4)) : device)" }
        return text
    }
}
