import RoostCore

/// An elementwise binary op with multidirectional broadcasting. The layout is
/// collapsed at load time, so the common cases (same shape, scalar operand, a bias
/// row over a matrix) run as long unit-stride inner loops.
struct BroadcastBinaryKernel<Op: BinaryOp>: Kernel {
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let inner: Int, sa: Int, sb: Int
    let walker: RowWalker

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        a = try ops.input(0, step)
        b = try ops.input(1, step)
        y = try ops.output(0, step)
        let layout = try BroadcastLayout(output: ops.outputShapes[0], operands: [ops.inputShapes[0], ops.inputShapes[1]], origin: step.origin)
        inner = layout.inner
        sa = layout.innerStride(1)
        sb = layout.innerStride(2)
        walker = RowWalker(layout)
    }

    func run() {
        let a = a, b = b, y = y, n = inner, sa = sa, sb = sb
        walker.walk { off in
            Self.row(y + off[0], a + off[1], sa, b + off[2], sb, n)
        }
    }

    @inline(__always)
    static func row(_ y: UnsafeMutablePointer<Float>, _ a: UnsafeMutablePointer<Float>, _ sa: Int,
                    _ b: UnsafeMutablePointer<Float>, _ sb: Int, _ n: Int) {
        switch (sa, sb) {
        case (1, 1): for i in 0..<n { y[i] = Op.apply(a[i], b[i]) }
        case (1, _): let v = b[0]; for i in 0..<n { y[i] = Op.apply(a[i], v) }
        case (_, 1): let v = a[0]; for i in 0..<n { y[i] = Op.apply(v, b[i]) }
        default: y.update(repeating: Op.apply(a[0], b[0]), count: n)
        }
    }
}
