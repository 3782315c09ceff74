/// A dense float32 tensor in host memory: how inputs, outputs and reference data
/// travel between the ONNX reader, the compiler, the runtime and the harness.
public struct HostTensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not match \(data.count) elements")
        self.shape = shape
        self.data = data
    }

    public init(shape: [Int], repeating value: Float = 0) {
        self.shape = shape
        self.data = [Float](repeating: value, count: shape.reduce(1, *))
    }

    public var elementCount: Int { data.count }

    /// Deterministic pseudo-random values in [-1, 1): benchmark inputs that are the
    /// same on every agent, so no machine gets an easier input than another.
    public static func seeded(shape: [Int], seed: UInt64) -> HostTensor {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        let n = shape.reduce(1, *)
        var data = [Float](repeating: 0, count: n)
        for i in 0..<n {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let bits = UInt32(truncatingIfNeeded: state >> 40)  // 24 bits
            data[i] = Float(bits) / Float(1 << 23) - 1
        }
        return HostTensor(shape: shape, data: data)
    }

    /// Largest absolute elementwise difference; `.infinity` when shapes differ.
    public func maxAbsDifference(to other: HostTensor) -> Double {
        guard shape == other.shape else { return .infinity }
        var m: Double = 0
        for i in 0..<data.count { m = Swift.max(m, Double(abs(data[i] - other.data[i]))) }
        return m
    }

    /// True when every element satisfies |a − b| ≤ atol + rtol·|b| (NumPy's allclose).
    public func isClose(to expected: HostTensor, rtol: Float = 1e-3, atol: Float = 1e-4) -> Bool {
        guard shape == expected.shape else { return false }
        for i in 0..<data.count where !(abs(data[i] - expected.data[i]) <= atol + rtol * abs(expected.data[i])) { return false }
        return true
    }
}
