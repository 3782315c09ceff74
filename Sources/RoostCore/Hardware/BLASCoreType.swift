/// Chooses the OpenBLAS kernel family (`OPENBLAS_CORETYPE`) from probed features.
///
/// Distribution builds of OpenBLAS (Debian's 0.3.21 among them) do not recognise
/// newer CPUs and fall back to a generic kernel that is several times slower, so
/// Roost decides from the ISA it probed instead of trusting runtime detection.
public enum BLASCoreType {
    public static func choose(for profile: HardwareProfile) -> String? {
        switch IsaLevel(profile: profile) {
        case .x86_64_avx512:
            return profile.hasFeature("avx512_bf16") ? "Cooperlake" : "SkylakeX"
        case .x86_64_avx2:
            return profile.cpuVendor == "AuthenticAMD" ? "Zen" : "Haswell"
        case .x86_64_sse:
            return profile.hasFeature("ssse3") ? "Core2" : "Prescott"
        case .aarch64_sve:
            return "NeoverseV1"
        case .aarch64_neon:
            return "ARMV8"
        case .armv7_neon, .generic:
            return nil
        }
    }
}
