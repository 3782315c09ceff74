import RoostCore

/// ReduceSum/Mean/Max/Min/Prod over any set of axes. The output (with kept unit
/// dims) is treated as an operand broadcast over the input, so one walk over the
/// input accumulates into it: rows either fold to one value or add onto an output row.
struct ReduceKernel: Kernel {
    enum Op { case sum, mean, max, min, prod }
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
    let op: Op
    let inner: Int, outStride: Int, outCount: Int, scale: Float
    let walker: RowWalker

    init(_ step: PlanStep, _ ops: KernelOperands) throws {
        x = try ops.input(0, step)
        y = try ops.output(0, step)
        op = switch try step.requiredString("op") {
        case "sum": .sum
        case "mean": .mean
        case "max": .max
        case "min": .min
        case "prod": .prod
        case let other: throw RoostError.invalidArtifact("reduce \(step.origin): unknown op '\(other)'")
        }
        let shape = ops.inputShapes[0]
        let axes = Set(try step.requiredInts("axes"))
        guard axes.allSatisfy({ (0..<shape.count).contains($0) }) else { throw RoostError.invalidArtifact("reduce \(step.origin): axes out of range") }
        let kept = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        outCount = kept.reduce(1, *)
        guard outCount == ops.outputCount(0) else { throw RoostError.invalidArtifact("reduce \(step.origin): output size mismatch") }
        // Operand 0 of the layout is the input (the iteration space), operand 1 the output.
        let layout = try BroadcastLayout(output: shape, operands: [kept], origin: step.origin)
        inner = layout.inner
        outStride = layout.innerStride(1)
        walker = RowWalker(layout)
        let total = shape.reduce(1, *)
        scale = outCount > 0 && total > 0 ? Float(outCount) / Float(total) : 1
    }

    func run() {
        let initial: Float = switch op {
        case .sum, .mean: 0
        case .max: -.infinity
        case .min: .infinity
        case .prod: 1
        }
        y.update(repeating: initial, count: outCount)
        let x = x, y = y, n = inner, s = outStride, op = op
        walker.walk { off in
            let xr = x + off[0], yr = y + off[1]
            switch op {
            case .sum, .mean:
                if s == 0 { var acc: Float = 0; for i in 0..<n { acc += xr[i] }; yr[0] += acc } else { for i in 0..<n { yr[i] += xr[i] } }
            case .max:
                if s == 0 { var acc = yr[0]; for i in 0..<n { acc = Swift.max(acc, xr[i]) }; yr[0] = acc } else { for i in 0..<n { yr[i] = Swift.max(yr[i], xr[i]) } }
            case .min:
                if s == 0 { var acc = yr[0]; for i in 0..<n { acc = Swift.min(acc, xr[i]) }; yr[0] = acc } else { for i in 0..<n { yr[i] = Swift.min(yr[i], xr[i]) } }
            case .prod:
                if s == 0 { var acc = yr[0]; for i in 0..<n { acc *= xr[i] }; yr[0] = acc } else { for i in 0..<n { yr[i] *= xr[i] } }
            }
        }
        if op == .mean { for i in 0..<outCount { y[i] *= scale } }
    }
}
