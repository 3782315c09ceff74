import RoostCore

/// An interpolating Resize as the `resize` kernel runs it: `planes` leading blocks
/// the resize leaves alone, then one `ResizeTaps` table per remaining axis.
/// Output element (p, o₁…oₘ) is Σ w₁[o₁,t₁]·…·wₘ[oₘ,tₘ] · x[p, i₁[o₁,t₁], …, iₘ[oₘ,tₘ]],
/// or `extrapolationValue` where an axis marks its output index outside (-1).
///
/// `apply` is the compile-time twin of the runtime kernel (same loop order, so a
/// folded Resize equals a run one), as `IndexRemap.apply` is for `remap`.
struct ResizeTables: Sendable, Equatable {
    var planes: Int
    var axes: [ResizeTaps]
    var extrapolationValue: Float

    /// The attributes the `resize` kernel reads.
    var attributes: [String: PlanAttribute] {
        [
            "planes": .int(planes),
            "inputDims": .ints(axes.map(\.input)), "outputDims": .ints(axes.map(\.output)), "taps": .ints(axes.map(\.taps)),
            "indices": .ints(axes.flatMap(\.indices)), "weights": .floats(axes.flatMap(\.weights)),
            "extrapolationValue": .anyFloat(extrapolationValue),
        ]
    }

    init(planes: Int, axes: [ResizeTaps], extrapolationValue: Float) {
        self.planes = planes
        self.axes = axes
        self.extrapolationValue = extrapolationValue
    }

    /// Decodes kernel attributes (nil when they are inconsistent).
    init?(attributes a: [String: PlanAttribute]) {
        guard let planes = a["planes"]?.int, let inputs = a["inputDims"]?.ints, let outputs = a["outputDims"]?.ints,
              let taps = a["taps"]?.ints, case .floats(let weights)? = a["weights"], let indices = a["indices"]?.ints,
              !inputs.isEmpty, inputs.count == outputs.count, inputs.count == taps.count, planes >= 1 else { return nil }
        var axes: [ResizeTaps] = []
        var at = 0
        for d in inputs.indices {
            let (n, overflow) = outputs[d].multipliedReportingOverflow(by: taps[d])
            guard !overflow, inputs[d] >= 1, outputs[d] >= 1, taps[d] >= 1, at + n <= indices.count, indices.count == weights.count else { return nil }
            axes.append(ResizeTaps(input: inputs[d], output: outputs[d], taps: taps[d],
                                   indices: Array(indices[at..<(at + n)]), weights: Array(weights[at..<(at + n)])))
            at += n
        }
        guard at == indices.count else { return nil }
        self.init(planes: planes, axes: axes, extrapolationValue: a["extrapolationValue"]?.anyFloatValue ?? 0)
    }

    var inputCount: Int { planes * axes.reduce(1) { $0 * $1.input } }
    var outputCount: Int { planes * axes.reduce(1) { $0 * $1.output } }

    func apply(_ x: [Float]) throws -> [Float] {
        guard x.count == inputCount else { throw RoostError.invalidModel("resize expects \(inputCount) input elements, got \(x.count)") }
        for a in axes where a.indices.contains(where: { $0 < -1 || $0 >= a.input }) {
            throw RoostError.invalidModel("resize reads beyond its input")
        }
        let m = axes.count
        let inner = axes[m - 1]
        var inStrides = [Int](repeating: 1, count: m)
        for d in stride(from: m - 2, through: 0, by: -1) { inStrides[d] = inStrides[d + 1] * axes[d + 1].input }
        let outside = axes.map { a in (0..<a.output).map { o in a.indices[(o * a.taps)..<((o + 1) * a.taps)].contains(-1) } }
        let rows = axes.dropLast().reduce(1) { $0 * $1.output }
        let inPlane = axes.reduce(1) { $0 * $1.input }
        var y = [Float](repeating: 0, count: outputCount)
        var out = 0
        for p in 0..<planes {
            var oi = [Int](repeating: 0, count: m)
            for _ in 0..<rows {
                if (0..<(m - 1)).contains(where: { outside[$0][oi[$0]] }) {
                    for o in 0..<inner.output { y[out + o] = extrapolationValue }
                } else {
                    var ti = [Int](repeating: 0, count: m)
                    while true {
                        var w: Float = 1, base = p * inPlane
                        for d in 0..<(m - 1) {
                            let e = oi[d] * axes[d].taps + ti[d]
                            w *= axes[d].weights[e]
                            base += max(axes[d].indices[e], 0) * inStrides[d]
                        }
                        if w != 0 {
                            for o in 0..<inner.output where !outside[m - 1][o] {
                                var s: Float = 0
                                for t in 0..<inner.taps {
                                    let e = o * inner.taps + t
                                    s += inner.weights[e] * x[base + inner.indices[e]]
                                }
                                y[out + o] += w * s
                            }
                        }
                        var d = m - 2
                        while d >= 0 {
                            ti[d] += 1
                            if ti[d] < axes[d].taps { break }
                            ti[d] = 0
                            d -= 1
                        }
                        if d < 0 { break }
                    }
                    for o in 0..<inner.output where outside[m - 1][o] { y[out + o] = extrapolationValue }
                }
                out += inner.output
                var d = m - 2
                while d >= 0 {
                    oi[d] += 1
                    if oi[d] < axes[d].output { break }
                    oi[d] = 0
                    d -= 1
                }
            }
        }
        return y
    }
}
