import RoostCore

/// GlobalAveragePool / GlobalMaxPool: one value per (batch, channel) plane.
struct GlobalPoolKernel: Kernel {
    let max: Bool
    let planes: Int, planeSize: Int
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>

    init(_ step: PlanStep, _ ops: KernelOperands, max: Bool) throws {
        self.max = max
        planes = try step.positiveSize("planes")
        planeSize = try step.positiveSize("planeSize")
        x = try ops.checkedInput(0, count: try step.elements(planes, planeSize), "input X", step)
        y = try ops.checkedOutput(0, count: planes, "output Y", step)
    }

    func run() {
        for p in 0..<planes {
            let xp = x + p * planeSize
            if max {
                var m = xp[0]
                for i in 1..<planeSize { m = Swift.max(m, xp[i]) }
                y[p] = m
            } else {
                var s: Float = 0
                for i in 0..<planeSize { s += xp[i] }
                y[p] = s / Float(planeSize)
            }
        }
    }
}
