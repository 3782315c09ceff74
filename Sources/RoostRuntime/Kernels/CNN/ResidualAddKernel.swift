import RoostCore

/// `cnn.residual_add`: y = a + b over equal-shape tensors (an unfused residual join).
struct ResidualAddKernel: Kernel {
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let count: Int

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        count = ops.outputShapes.first?.reduce(1, *) ?? 0
        a = try ops.checkedInput(0, count: count, "input A", step)
        b = try ops.checkedInput(1, count: count, "input B", step)
        y = try ops.checkedOutput(0, count: count, "output C", step)
    }

    func run() {
        for i in 0..<count { y[i] = a[i] + b[i] }
    }
}
