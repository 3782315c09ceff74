import CRoostKernels
import RoostCore

/// Which matrix-product code a plan step runs (step attribute `gemm`), as the
/// compiler chose it from the target's ISA and the step's shape. Absent means
/// OpenBLAS, which is what plans from before Roost had its own GEMM name.
enum GemmImplementation: Equatable {
    case openBLAS
    /// Roost's packed GEMM with the micro-kernels of one ISA family.
    case roost(roost_isa)

    init(_ step: PlanStep) throws {
        switch step.attributes["gemm"]?.string {
        case nil, "openblas": self = .openBLAS
        case "roost-portable": self = .roost(ROOST_ISA_PORTABLE)
        case "roost-avx2":
            guard roost_isa_supported(ROOST_ISA_AVX2) != 0 else {
                throw RoostError.invalidArtifact("\(step.origin): compiled for AVX2 + FMA, which this CPU lacks; compile for this machine's target")
            }
            self = .roost(ROOST_ISA_AVX2)
        case "roost-avx512":
            guard roost_isa_supported(ROOST_ISA_AVX512) != 0 else {
                throw RoostError.invalidArtifact("\(step.origin): compiled for AVX-512, which this CPU lacks; compile for this machine's target")
            }
            self = .roost(ROOST_ISA_AVX512)
        case "roost-neon":
            guard roost_isa_supported(ROOST_ISA_NEON) != 0 else {
                throw RoostError.invalidArtifact("\(step.origin): compiled for AArch64 NEON, which this CPU lacks; compile for this machine's target")
            }
            self = .roost(ROOST_ISA_NEON)
        case let other?:
            throw RoostError.invalidArtifact("\(step.origin): GEMM implementation '\(other)' is unknown to this runtime")
        }
    }

    /// Which operand the compiler packed into panels (`packedWeights`: `a` or `b`;
    /// `winograd`, reported as `w`, for a conv's transformed 3×3 weights).
    static func packedOperand(_ step: PlanStep) throws -> Character? {
        switch step.attributes["packedWeights"]?.string {
        case nil: return nil
        case "a": return "a"
        case "b": return "b"
        case "winograd": return "w"
        case let other?: throw RoostError.invalidArtifact("\(step.origin): packed operand '\(other)' is unknown")
        }
    }
}
