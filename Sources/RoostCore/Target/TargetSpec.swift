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

    public init(isa: IsaLevel, blasCoreType: String?, threads: Int, engine: String = "native") {
        self.isa = isa
        self.blasCoreType = blasCoreType
        self.threads = max(1, threads)
        self.engine = engine
    }

    /// The spec an agent with this hardware runs.
    public init(hardware: HardwareProfile, engine: String = "native") {
        self.init(
            isa: IsaLevel(profile: hardware), blasCoreType: BLASCoreType.choose(for: hardware),
            threads: hardware.effectiveCPUs, engine: engine)
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

    /// Human-readable form for logs and reports.
    public var label: String {
        "\(isa.rawValue)/\(blasCoreType ?? "auto")/\(threads)t/\(engine)"
    }
}
