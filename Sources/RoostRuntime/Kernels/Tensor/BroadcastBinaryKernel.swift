import RoostCore

/// An elementwise binary op with multidirectional broadcasting. The layout is
/// collapsed at load time, so the common cases (same shape, scalar operand, a bias
/// row over a matrix) run as long unit-stride inner loops.
///
/// The row loop is a closure built where the op type is concrete: a generic
/// kernel's `run()` would be reached through an unspecialized protocol witness,
/// paying a metadata call per element instead of a vectorized loop.
struct BroadcastBinaryKernel: Kernel {
    typealias Row = (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int, UnsafeMutablePointer<Float>, Int, Int) -> Void
    let a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let inner: Int, sa: Int, sb: Int
    let walker: RowWalker
    let row: Row

    init(_ step: PlanStep, _ ops: KernelOperands, row: @escaping Row) throws {
        a = try ops.input(0, step)
        b = try ops.input(1, step)
        y = try ops.output(0, step)
        let layout = try BroadcastLayout(output: ops.outputShapes[0], operands: [ops.inputShapes[0], ops.inputShapes[1]], origin: step.origin)
        inner = layout.inner
        sa = layout.innerStride(1)
        sb = layout.innerStride(2)
        walker = RowWalker(layout)
        self.row = row
    }

    func run() {
        let a = a, b = b, y = y, n = inner, sa = sa, sb = sb, row = row
        if walker.rows == 1 {
            row(y, a, sa, b, sb, n)
            return
        }
        walker.walk { off in row(y + off[0], a + off[1], sa, b + off[2], sb, n) }
    }
}

/// The inner loops of one binary op, specialized per op where it is named concretely.
enum BinaryRow<Op: BinaryOp> {
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
