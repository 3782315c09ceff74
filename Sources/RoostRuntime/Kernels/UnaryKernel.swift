import RoostCore

/// An elementwise kernel with one input and one output of equal element count.
struct UnaryKernel: Kernel {
    let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int
    let body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

    init(_ ops: KernelOperands, origin: String, _ body: @escaping (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) throws {
        guard let x = ops.inputs.first ?? nil, let y = ops.outputs.first else { throw RoostError.invalidArtifact("\(origin): missing operand") }
        let n = ops.outputShapes[0].reduce(1, *)
        guard ops.inputShapes[0].reduce(1, *) == n else { throw RoostError.invalidArtifact("\(origin): element counts differ") }
        self.x = x
        self.y = y
        self.count = n
        self.body = body
    }

    func run() { body(x, y, count) }
}

enum ReluKernel {
    @inline(__always)
    static func apply(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = max(x[i], 0) }
    }
}
