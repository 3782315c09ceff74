import CRoostKernels
import RoostCore

/// The machine's measured single-precision FMA limit, the yardstick for the
/// benchmark's GFLOP/s: what `threads` CPUs achieve on register-only FMA chains
/// of the vector family this target's kernels use.
public enum MachinePeak {
    public static func flops(isa: IsaLevel, threads: Int, seconds: Double = 0.5) -> Double {
        roost_fma_peak(family(isa), Int32(max(1, threads)), seconds)
    }

    /// The kernel family Roost's GEMM uses on this ISA level.
    static func family(_ isa: IsaLevel) -> roost_isa {
        switch isa {
        case .x86_64_avx2: ROOST_ISA_AVX2
        case .x86_64_avx512: ROOST_ISA_AVX512
        case .aarch64_neon, .aarch64_sve: ROOST_ISA_NEON
        default: ROOST_ISA_PORTABLE
        }
    }
}
