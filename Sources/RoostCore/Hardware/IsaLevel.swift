/// The instruction-set tier the compiler specializes for. Coarse on purpose: one
/// artifact per tier keeps the cache small while still picking the right kernels.
public enum IsaLevel: String, Codable, Sendable, CaseIterable {
    case x86_64_avx512 = "x86_64-avx512"
    case x86_64_avx2 = "x86_64-avx2"
    case x86_64_sse = "x86_64-sse"
    case aarch64_sve = "aarch64-sve"
    case aarch64_neon = "aarch64-neon"
    case armv7_neon = "armv7-neon"
    case generic = "generic"

    public init(profile: HardwareProfile) {
        switch profile.arch {
        case "x86_64", "amd64":
            if ["avx512f", "avx512bw", "avx512vl"].allSatisfy(profile.hasFeature) { self = .x86_64_avx512 }
            else if profile.hasFeature("avx2") && profile.hasFeature("fma") { self = .x86_64_avx2 }
            else { self = .x86_64_sse }
        case "aarch64", "arm64":
            self = profile.hasFeature("sve") ? .aarch64_sve : .aarch64_neon
        case "armv7l", "armv7", "armv8l":
            self = profile.hasFeature("neon") || profile.hasFeature("asimd") ? .armv7_neon : .generic
        default:
            self = .generic
        }
    }

    public var arch: String {
        switch self {
        case .x86_64_avx512, .x86_64_avx2, .x86_64_sse: "x86_64"
        case .aarch64_sve, .aarch64_neon: "aarch64"
        case .armv7_neon: "armv7l"
        case .generic: "any"
        }
    }
}
