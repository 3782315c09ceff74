/// Floating-point work of a plan's matrix products (convolutions, Gemm, MatMul):
/// 2 FLOP per multiply-add. Elementwise steps are left out, as in the usual
/// GFLOP figures of a model; the benchmark divides this by the measured latency
/// to compare a run with the machine's FMA peak.
public enum PlanCost {
    public static func flops(of plan: ExecutionPlan) -> Int {
        plan.steps.reduce(0) { $0 + flops(of: $1, plan) }
    }

    /// One step's share of `flops(of:)`: what the per-step profiler divides by the step's time.
    public static func flops(of step: PlanStep, _ plan: ExecutionPlan) -> Int {
        let a = step.attributes
        func shape(_ id: Int?) -> [Int] { id.flatMap { $0 >= 0 && $0 < plan.values.count ? plan.values[$0].shape : nil } ?? [] }
        switch step.kernel {
        case "conv":
            // Y[N, M, spatial] from C/g·taps multiply-adds each; W may be packed, so
            // the taps come from the geometry attributes.
            guard let channels = a["channels"]?.int, let group = a["group"]?.int, group > 0 else { return 0 }
            let y = shape(step.outputs.first)
            let taps = (a["kernel"]?.ints ?? []).reduce(1, *)
            return 2 * y.reduce(1, *) * (channels / group) * taps
        case "gemm":
            guard let m = a["m"]?.int, let n = a["n"]?.int, let k = a["k"]?.int else { return 0 }
            return 2 * m * n * k
        case "matmul":
            guard let m = a["m"]?.int, let n = a["n"]?.int, let k = a["k"]?.int else { return 0 }
            return 2 * (a["batch"]?.ints ?? []).reduce(1, *) * m * n * k
        default:
            return 0
        }
    }
}
