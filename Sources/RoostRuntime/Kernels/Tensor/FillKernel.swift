import RoostCore

/// Writes values fixed at compile time: `constant` (explicit values, e.g. an
/// unfolded Shape), `fill` (one value repeated, ConstantOfShape) and `range`
/// (start + i·delta). Folding normally removes these; they exist so a model whose
/// output is such a value still runs.
final class FillKernel: Kernel {
    let y: UnsafeMutablePointer<Float>
    let values: KernelScratch<Float>

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        y = try ops.output(0, step)
        let count = ops.outputCount(0)
        switch step.kernel {
        case "constant":
            guard case .floats(let v)? = step.attributes["values"], v.count == count else {
                throw RoostError.invalidArtifact("constant \(step.origin): values do not match the output shape")
            }
            values = KernelScratch(v)
        case "range":
            let start = Double(step.float("start") ?? 0), delta = Double(step.float("delta") ?? 1)
            values = KernelScratch((0..<count).map { Float(start + Double($0) * delta) })
        default:
            values = KernelScratch(repeating: step.float("value") ?? 0, count: count)
        }
    }

    func run() { y.update(from: values.pointer, count: values.count) }
}
