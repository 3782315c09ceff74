import RoostCore

/// ONNX Where(condition, X, Y) with three-way broadcasting.
struct WhereKernel: Kernel {
    let c: UnsafeMutablePointer<Float>, a: UnsafeMutablePointer<Float>, b: UnsafeMutablePointer<Float>
    let y: UnsafeMutablePointer<Float>
    let inner: Int, sc: Int, sa: Int, sb: Int
    let walker: RowWalker

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        c = try ops.input(0, step)
        a = try ops.input(1, step)
        b = try ops.input(2, step)
        y = try ops.output(0, step)
        let layout = try BroadcastLayout(output: ops.outputShapes[0], operands: Array(ops.inputShapes.prefix(3)), origin: step.origin)
        inner = layout.inner
        sc = layout.innerStride(1)
        sa = layout.innerStride(2)
        sb = layout.innerStride(3)
        walker = RowWalker(layout)
    }

    func run() {
        let c = c, a = a, b = b, y = y, n = inner, sc = sc, sa = sa, sb = sb
        walker.walk { off in
            let cr = c + off[1], ar = a + off[2], br = b + off[3], yr = y + off[0]
            for i in 0..<n { yr[i] = cr[i * sc] != 0 ? ar[i * sa] : br[i * sb] }
        }
    }
}
