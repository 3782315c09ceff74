/// Horizontal reductions with eight-lane accumulators. Float addition is not
/// associative, so the compiler will not vectorize a plain `sum += x[i]` loop;
/// accumulating lanes explicitly makes Softmax and LayerNorm memory-bound again.
enum VectorMath {
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        let raw = UnsafeRawPointer(p)
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            a += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            b += raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            i += 16
        }
        var s = (a + b).sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    /// Σ (p[i] − mean)².
    @inline(__always)
    static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, _ n: Int, mean: Float) -> Float {
        let raw = UnsafeRawPointer(p)
        let mu = SIMD8<Float>(repeating: mean)
        var a = SIMD8<Float>(), b = SIMD8<Float>()
        var i = 0
        while i + 16 <= n {
            let d0 = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) - mu
            let d1 = raw.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self) - mu
            a += d0 * d0
            b += d1 * d1
            i += 16
        }
        var s = (a + b).sum()
        while i < n { let d = p[i] - mean; s += d * d; i += 1 }
        return s
    }

    @inline(__always)
    static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        let raw = UnsafeRawPointer(p)
        var m = -Float.infinity
        var i = 0
        if n >= 8 {
            var acc = SIMD8<Float>(repeating: -.infinity)
            while i + 8 <= n {
                let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
                acc = acc.replacing(with: v, where: v .> acc)
                i += 8
            }
            m = acc.max()
        }
        while i < n { m = Swift.max(m, p[i]); i += 1 }
        return m
    }
}
