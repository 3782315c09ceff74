import RoostCore

/// Chooses which activations of a depthwise-separable conv network live
/// channels-last (NHWC), on targets where Roost's kernels for that layout win.
///
/// In NCHW a depthwise conv pays for copying every channel plane into a padded
/// scratch and back, and a pointwise conv on a small image fills its GEMM tiles
/// badly (7×7 = 49 pixels in 16-wide panels). In NHWC a depthwise conv reads each
/// pixel's channels as one vector in place, and a pointwise conv is a GEMM with
/// the pixels as rows — which Roost's AVX2 and AVX-512 tiles read without packing — so
/// the layout pays where depthwise convs are. It changes no values: each chosen
/// activation keeps its elements and place in the arena and gets the NHWC shape,
/// and the steps reading or writing it record the layout (`TensorLayout`).
///
/// A value goes channels-last only when every step touching it can take it so:
/// pointwise convs (1×1, stride 1, ungrouped; their input may stay NCHW, so one
/// can enter the region), convs on the direct kernel (which read NCHW and can
/// write channels-last: a network's stem), depthwise convs (multiplier 1,
/// clamp-type activation; input, output and residual together) and global pools
/// (which hand back NCHW). Plan inputs and outputs, and values that a reshape
/// views, stay NCHW. A plan with no channels-last depthwise conv is left as it is.
public struct ChannelsLastLayout: Sendable {
    public let target: TargetSpec
    public init(target: TargetSpec) { self.target = target }

    /// Whether the target has the channels-last kernels' fast paths: the GEMM
    /// tile reading plain A rows and the vector depthwise kernel (AVX2 and AVX-512).
    public var enabled: Bool { target.isa == .x86_64_avx512 || target.isa == .x86_64_avx2 }

    /// `stem`: a conv on the direct kernel, which reads NCHW and can write channels-last.
    enum Role { case pointwise, depthwise, stem, pool, other }

    public func apply(plan: inout ExecutionPlan) {
        guard enabled else { return }
        let packable = KernelSelection.packableWeights(in: plan)
        let roles = plan.steps.map { role(of: $0, plan, packable: packable) }
        var producer: [Int: Int] = [:]
        for (i, step) in plan.steps.enumerated() { for id in step.outputs where id >= 0 { producer[id] = i } }
        let boundary = Set(plan.inputs.map(\.valueID) + plan.outputs.map(\.valueID))
        var eligible = Set<Int>()
        for v in plan.values where v.storage == .arena && v.shape.count == 4 && producer[v.id] != nil && !boundary.contains(v.id) {
            eligible.insert(v.id)
        }
        for root in Self.viewedValues(plan, producer) { eligible.remove(root) }
        // Every use must accept channels-last for that operand.
        for (step, role) in zip(plan.steps, roles) {
            for (slot, id) in step.inputs.enumerated() where id >= 0 && !accepts(role, input: slot) { eligible.remove(id) }
            for (slot, id) in step.outputs.enumerated() where id >= 0 && !accepts(role, output: slot) { eligible.remove(id) }
        }
        // Tie each conv's operands together until nothing changes.
        var changed = true
        while changed {
            changed = false
            func drop(_ id: Int) { if id >= 0, eligible.remove(id) != nil { changed = true } }
            for (step, role) in zip(plan.steps, roles) where role == .depthwise || role == .pointwise || role == .stem {
                // `role(of:)` made sure these steps have X and Y.
                let x = step.inputs[0], y = step.outputs[0], residual = step.inputs.count > 3 ? step.inputs[3] : -1
                switch role {
                case .depthwise:
                    let operands = [x, y, residual].filter { $0 >= 0 }
                    if operands.contains(where: { !eligible.contains($0) }) { operands.forEach(drop) }
                case .pointwise, .stem:
                    // Y and the residual together; a channels-last X needs a channels-last Y.
                    if !eligible.contains(y) || (residual >= 0 && !eligible.contains(residual)) {
                        drop(y)
                        drop(residual)
                        drop(x)
                    }
                case .pool, .other:
                    continue
                }
            }
        }
        let worthIt = zip(plan.steps, roles).contains { $1 == .depthwise && eligible.contains($0.inputs[0]) }
        guard worthIt else { return }

        for id in eligible {
            let s = plan.values[id].shape
            plan.values[id].shape = [s[0], s[2], s[3], s[1]]
        }
        let nhwc = PlanAttribute.string(TensorLayout.nhwc.rawValue)
        for (i, role) in roles.enumerated() {
            let step = plan.steps[i]
            switch role {
            case .pointwise, .depthwise, .stem:
                if eligible.contains(step.outputs[0]) { plan.steps[i].attributes[TensorLayout.outputAttribute] = nhwc }
                if eligible.contains(step.inputs[0]) { plan.steps[i].attributes[TensorLayout.inputAttribute] = nhwc }
            case .pool:
                if eligible.contains(step.inputs[0]) {
                    plan.steps[i].attributes[TensorLayout.inputAttribute] = nhwc
                    plan.steps[i].attributes["channels"] = .int(plan.values[step.inputs[0]].shape[3])
                }
            case .other:
                continue
            }
        }
    }

    /// Values a reshape view reads under another shape. A view is a value no step
    /// writes (other than a plan input) at its root's arena offset; the root is the
    /// value at that offset written last before the view's first use (the memory
    /// planner keeps the root alive while the view is read).
    static func viewedValues(_ plan: ExecutionPlan, _ producer: [Int: Int]) -> Set<Int> {
        let inputs = Set(plan.inputs.map(\.valueID))
        var firstUse: [Int: Int] = [:]
        for (i, step) in plan.steps.enumerated() { for id in step.inputs where id >= 0 && firstUse[id] == nil { firstUse[id] = i } }
        var roots = Set<Int>()
        for view in plan.values where view.storage == .arena && producer[view.id] == nil && !inputs.contains(view.id) {
            guard let use = firstUse[view.id] else { continue }
            let root = plan.values
                .filter { $0.storage == .arena && $0.offset == view.offset && (producer[$0.id] ?? Int.max) < use }
                .max { producer[$0.id]! < producer[$1.id]! }
            if let root { roots.insert(root.id) }
        }
        return roots
    }

    func role(of step: PlanStep, _ plan: ExecutionPlan, packable: Set<Int>) -> Role {
        let a = step.attributes
        guard !step.inputs.isEmpty, step.inputs[0] >= 0, !step.outputs.isEmpty, step.outputs[0] >= 0,
              plan.values[step.inputs[0]].shape.count == 4 else { return .other }
        switch step.kernel {
        case "conv":
            guard step.inputs.count > 1, step.inputs[1] >= 0, a["batch"]?.int != nil,
                  let channels = a["channels"]?.int, let out = a["outChannels"]?.int, let group = a["group"]?.int else { return .other }
            switch a["algorithm"]?.string {
            case "gemm-1x1" where group == 1:
                return .pointwise
            case "direct-depthwise" where group == channels && out == channels:
                let activation = a["activation"]?.string
                return activation == nil || activation == "relu" || activation == "clip" ? .depthwise : .other
            case "im2col-gemm" where group == 1:
                return KernelSelection(target: target).runsDirect(step, plan, packable: packable) ? .stem : .other
            default:
                return .other
            }
        case "global_average_pool", "global_max_pool":
            return .pool
        default:
            return .other
        }
    }

    /// Whether a step in `role` can read input `slot` channels-last.
    func accepts(_ role: Role, input slot: Int) -> Bool {
        switch role {
        case .pointwise, .depthwise: slot == 0 || slot == 3
        case .stem: slot == 3
        case .pool: slot == 0
        case .other: false
        }
    }

    func accepts(_ role: Role, output slot: Int) -> Bool {
        switch role {
        case .pointwise, .depthwise, .stem: slot == 0
        case .pool, .other: false
        }
    }

    /// How many conv steps run channels-last, e.g. `nhwc 51/52`; nil when none.
    public static func summary(of plan: ExecutionPlan) -> String? {
        let convs = plan.steps.filter { $0.kernel == "conv" }
        let nhwc = convs.filter { TensorLayout.of($0, TensorLayout.outputAttribute) == .nhwc }.count
        return nhwc == 0 ? nil : "nhwc \(nhwc)/\(convs.count)"
    }
}
