import RoostCore

/// Compares one runtime output with its ONNX reference the way the backend test
/// runner does (NumPy's `allclose`), with two Roost-specific choices: an absolute
/// tolerance of 1e-5 rather than 1e-7 (Roost computes in float32 with BLAS, whose
/// summation order differs from NumPy's) and exact equality for integer and bool
/// outputs, which must not drift at all.
public struct OutputComparison: Sendable {
    public var rtol: Float
    public var atol: Float

    public init(rtol: Float = 1e-3, atol: Float = 1e-5) {
        self.rtol = rtol
        self.atol = atol
    }

    /// nil when `actual` matches `expected`; otherwise why not.
    public func mismatch(_ actual: HostTensor, _ expected: HostTensor, exact: Bool) -> String? {
        guard actual.shape == expected.shape else {
            return "shape \(actual.shape), expected \(expected.shape)"
        }
        var bad = 0
        var first: (index: Int, got: Float, want: Float)?
        var worst: Float = 0
        for i in 0..<min(actual.data.count, expected.data.count) {
            let (a, e) = (actual.data[i], expected.data[i])
            if matches(a, e, exact: exact) { continue }
            bad += 1
            if first == nil { first = (i, a, e) }
            let diff = abs(a - e)
            if diff.isNaN || diff > worst { worst = diff.isNaN ? .nan : diff }
        }
        guard let first else { return nil }
        let rule = exact ? "exact" : "rtol \(rtol), atol \(atol)"
        return "\(bad) of \(expected.data.count) elements differ (\(rule)); first at index \(first.index): got \(first.got), expected \(first.want); max abs diff \(worst)"
    }

    func matches(_ a: Float, _ e: Float, exact: Bool) -> Bool {
        if a.isNaN || e.isNaN { return a.isNaN && e.isNaN }
        if exact || e.isInfinite || a.isInfinite { return a == e }
        return abs(a - e) <= atol + rtol * abs(e)
    }
}
