/// Whether code compiled for one ISA tier may run on a machine of another: same
/// architecture and a host tier at least as capable. Running an AVX-512 artifact
/// (or forcing an AVX-512 BLAS kernel) on an AVX2 machine dies with SIGILL, so
/// this is checked before anything executes.
public enum TargetCompatibility {
    public static func canRun(_ artifact: IsaLevel, on host: IsaLevel) -> Bool {
        if artifact == .generic { return true }
        guard artifact.arch == host.arch else { return false }
        return rank(artifact) <= rank(host)
    }

    static func rank(_ isa: IsaLevel) -> Int {
        switch isa {
        case .generic: 0
        case .x86_64_sse, .aarch64_neon, .armv7_neon: 1
        case .x86_64_avx2, .aarch64_sve: 2
        case .x86_64_avx512: 3
        }
    }

    /// Throws a clear error when `header`'s target cannot run on `host`.
    public static func check(_ header: ArtifactHeader, host: HardwareProfile) throws {
        let hostISA = IsaLevel(profile: host)
        guard canRun(header.target.isa, on: hostISA) else {
            throw RoostError.invalidArtifact(
                "artifact is compiled for \(header.target.isa.rawValue) but this machine is \(hostISA.rawValue); recompile with --target host")
        }
    }
}
