/// Branch-free float32 `exp` and `erf` written as plain arithmetic so loops over
/// them vectorize (libm calls do not): Softmax and GELU spend most of their time here.
enum FastMath {
    /// e^x with relative error below 2e-7 for x in [-87, 88]; clamped outside.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let xc = min(max(x, -87.0), 88.0)
        // Round x·log2(e) to an integer n with the 1.5·2^23 trick: n's bits land in the mantissa.
        let magic: Float = 12_582_912
        let t = xc * 1.442_695_04 + magic
        let n = t - magic
        let bits = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000
        // r = x − n·ln2 in two steps for precision, then e^r by its Taylor polynomial.
        let r = (xc - n * 0.693_145_75) - n * 1.428_606_8e-6
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: UInt32(bitPattern: (bits &+ 127) &<< 23))
        return p * scale
    }

    /// erf(x) as an odd/even rational on [-4, 4] (±1 beyond); absolute error < 5e-7.
    @inline(__always)
    static func erf(_ x: Float) -> Float {
        let v = min(max(x, -4), 4)
        let v2 = v * v
        var p: Float = -2.726_142_3e-10
        p = p * v2 + 2.770_681_4e-8
        p = p * v2 - 2.101_024e-6
        p = p * v2 - 5.692_506_4e-5
        p = p * v2 - 7.349_906_3e-4
        p = p * v2 - 2.954_600_0e-3
        p = p * v2 - 1.609_603_3e-2
        var q: Float = -1.456_607_2e-5
        q = q * v2 - 2.133_740_6e-4
        q = q * v2 - 1.682_827e-3
        q = q * v2 - 7.373_329_2e-3
        q = q * v2 - 1.426_473_9e-2
        return v * p / q
    }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    /// x · sigmoid(x) (SiLU; ONNX Swish is x · sigmoid(alpha · x)).
    @inline(__always)
    static func silu(_ x: Float) -> Float { x / (1 + exp(-x)) }

    /// tanh via e^(2x); exact enough for activations (absolute error ~1e-7).
    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        let e = exp(2 * min(max(x, -10), 10))
        return (e - 1) / (e + 1)
    }

    @inline(__always)
    static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + erf(x * 0.707_106_77)) }

    @inline(__always)
    static func geluTanh(_ x: Float) -> Float { 0.5 * x * (1 + tanh(0.797_884_6 * (x + 0.044_715 * x * x * x))) }
}
