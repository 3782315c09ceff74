import RoostCore

/// How one axis of an ONNX `Resize` samples its input: for every output index,
/// the input indices it reads and their weights (`ResizeTaps`).
///
/// Follows the ONNX reference semantics: an output index is mapped back to an
/// input coordinate `c` by `coordinate_transformation_mode`, split into a base
/// `f = ⌈c⌉ − 1` and a ratio `c − f` in (0, 1] (so an exact coordinate is the
/// *right* tap of its pair), and the filter's taps sit at `f + j`. The reference
/// pads the input with its edge values, so taps beyond the input read the edge:
/// indices are clamped, and taps that land on the same index are merged.
struct ResizeSampler: Sendable, Equatable {
    enum Mode: String, Sendable, CaseIterable { case nearest, linear, cubic }

    enum Coordinates: String, Sendable, CaseIterable {
        case halfPixel = "half_pixel", halfPixelSymmetric = "half_pixel_symmetric", pytorchHalfPixel = "pytorch_half_pixel"
        case alignCorners = "align_corners", asymmetric, tfHalfPixelForNN = "tf_half_pixel_for_nn"
        case tfCropAndResize = "tf_crop_and_resize"
    }

    enum NearestRounding: String, Sendable, CaseIterable {
        case roundPreferFloor = "round_prefer_floor", roundPreferCeil = "round_prefer_ceil", floor, ceil
    }

    var mode: Mode
    var coordinates: Coordinates
    var nearest: NearestRounding
    /// The cubic kernel's `a` (`cubic_coeff_a`).
    var cubicA: Double
    /// `exclude_outside`: taps outside the input get weight 0 and the rest are renormalized.
    var excludeOutside: Bool
    /// `antialias`: linear and cubic filters stretched by 1/scale when downscaling.
    var antialias: Bool

    /// One axis to resample.
    struct Axis: Sendable, Equatable {
        var input: Int
        var output: Int
        var scale: Double
        /// The scale came from a float32 `scales` tensor. The reference then forms the
        /// resized length `scale · input` in float32 (it matters for align_corners and
        /// tf_crop_and_resize, which divide by it); from `sizes` it is float64.
        var scaleIsFloat32: Bool
        var roiStart: Float = 0
        var roiEnd: Float = 1
    }

    /// Most taps one output index may read (an extreme antialiased downscale).
    static let maxTaps = 1 << 16

    func taps(for axis: Axis) throws -> ResizeTaps {
        var rows: [[(index: Int, weight: Double)]?] = []
        rows.reserveCapacity(axis.output)
        for x in 0..<axis.output {
            guard let c = try coordinate(x, axis) else { rows.append(nil); continue }
            rows.append(try sample(at: c, axis))
        }
        let width = max(1, rows.reduce(0) { max($0, $1?.count ?? 0) })
        var indices: [Int] = [], weights: [Float] = []
        indices.reserveCapacity(width * axis.output)
        weights.reserveCapacity(width * axis.output)
        for row in rows {
            guard let row else {
                indices.append(contentsOf: repeatElement(-1, count: width))
                weights.append(contentsOf: repeatElement(0, count: width))
                continue
            }
            for t in 0..<width {
                indices.append(t < row.count ? row[t].index : (row.first?.index ?? 0))
                weights.append(t < row.count ? Float(row[t].weight) : 0)
            }
        }
        return ResizeTaps(input: axis.input, output: axis.output, taps: width, indices: indices, weights: weights)
    }

    /// The input coordinate output index `x` maps to, or nil where tf_crop_and_resize
    /// leaves the input (the output takes the extrapolation value).
    func coordinate(_ x: Int, _ a: Axis) throws -> Double? {
        let n = Double(a.input), xr = Double(x)
        let length = a.scaleIsFloat32 ? Double(Float(a.scale) * Float(a.input)) : a.scale * n
        let lengthLessOne = a.scaleIsFloat32 ? Double(Float(length) - 1) : length - 1
        let c: Double
        switch coordinates {
        case .halfPixel:
            c = (xr + 0.5) / a.scale - 0.5
        case .halfPixelSymmetric:
            // Centers the sampled span when the output length was rounded down.
            let adjustment = Double(a.output) / length
            c = n / 2 * (1 - adjustment) + (xr + 0.5) / a.scale - 0.5
        case .pytorchHalfPixel:
            c = length == 1 ? -0.5 : (xr + 0.5) / a.scale - 0.5
        case .alignCorners:
            c = length == 1 ? 0 : xr * (n - 1) / lengthLessOne
        case .asymmetric:
            c = xr / a.scale
        case .tfHalfPixelForNN:
            c = (xr + 0.5) / a.scale
        case .tfCropAndResize:
            // roi arithmetic in float32, as the reference does it.
            let span = Double(a.roiEnd - a.roiStart)
            let start = Double(a.roiStart * Float(a.input - 1))
            let local = length == 1 ? span * (n - 1) / 2 : xr * span * (n - 1) / lengthLessOne
            let v = local + start
            // Also catches a NaN roi.
            guard v >= 0, v <= n - 1 else { return nil }
            return v
        }
        guard c.isFinite, abs(c) < 1e12 else {
            throw RoostError.invalidModel("Resize: output index \(x) maps to input coordinate \(c) (scale \(a.scale))")
        }
        return c
    }

    /// The clamped, merged, nonzero taps at coordinate `c`.
    func sample(at c: Double, _ a: Axis) throws -> [(index: Int, weight: Double)] {
        let base = c.rounded(.up) - 1
        let f = Int(base), ratio = c - base
        var raw: [(index: Int, weight: Double)] = []
        switch mode {
        case .nearest:
            let up: Bool = switch nearest {
            case .roundPreferFloor: ratio > 0.5
            case .roundPreferCeil: ratio >= 0.5
            case .floor: ratio == 1
            case .ceil: true
            }
            raw = [(f + (up ? 1 : 0), 1)]
        case .linear, .cubic:
            // Support radius 1 (triangle) or 2 (Keys cubic); antialiasing stretches it by 1/scale.
            let radius: Double = mode == .linear ? 1 : 2
            let stretch = antialias ? min(a.scale, 1) : 1
            let first = Int((-radius / stretch).rounded(.down)) + 1
            let last = 1 - first
            guard last - first + 1 <= Self.maxTaps else {
                throw RoostError.unsupported("Resize: an antialiased scale of \(a.scale) needs more than \(Self.maxTaps) taps per output")
            }
            for j in first...last {
                let t = (Double(j) - ratio) * stretch
                raw.append((f + j, mode == .linear ? max(0, 1 - abs(t)) : cubic(t)))
            }
            if antialias { normalize(&raw) }
        }
        if excludeOutside, mode != .nearest {
            for i in raw.indices where raw[i].index < 0 || raw[i].index >= a.input { raw[i].weight = 0 }
            normalize(&raw)
        }
        // Clamp to the edge and merge neighbours that now read the same element.
        var taps: [(index: Int, weight: Double)] = []
        for (i, w) in raw {
            let index = min(max(i, 0), a.input - 1)
            if let lastTap = taps.last, lastTap.index == index {
                taps[taps.count - 1].weight += w
            } else {
                taps.append((index, w))
            }
        }
        return taps.filter { $0.weight != 0 }
    }

    /// Keys' cubic convolution kernel with parameter a.
    func cubic(_ t: Double) -> Double {
        let x = abs(t), a = cubicA
        if x <= 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
        if x < 2 { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }
        return 0
    }

    /// Scales weights to sum to 1 (left alone when they sum to 0).
    private func normalize(_ taps: inout [(index: Int, weight: Double)]) {
        let sum = taps.reduce(0) { $0 + $1.weight }
        guard sum != 0 else { return }
        for i in taps.indices { taps[i].weight /= sum }
    }
}

/// One axis's sampling table: output index `o` reads input indices
/// `indices[o·taps ..< (o+1)·taps]` with the matching `weights`; an output index
/// whose indices are all -1 lies outside the crop (extrapolation value).
struct ResizeTaps: Sendable, Equatable {
    var input: Int
    var output: Int
    var taps: Int
    var indices: [Int]
    var weights: [Float]

    /// Every output index reads exactly one input element at weight 1 (or
    /// extrapolates): a gather, which the shared `remap` kernel runs.
    var isGather: Bool {
        taps == 1 && zip(indices, weights).allSatisfy { $0 < 0 || $1 == 1 }
    }

    /// Output index o reads input index o alone: the axis is left as it is.
    var isIdentity: Bool {
        input == output && isGather && indices.enumerated().allSatisfy { $0.element == $0.offset }
    }
}
