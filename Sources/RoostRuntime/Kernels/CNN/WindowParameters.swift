import RoostCore

/// The 2-D window of a conv or pool step, decoded from its attributes
/// (`inputSpatial`, `outputSpatial`, `kernel`, `strides`, `dilations`, `pads`) and
/// checked — each value in range and the output size consistent with the window
/// arithmetic — so kernels index memory and size scratch only from sizes that
/// agree with the real operands.
struct WindowParameters: Sendable {
    /// Forward windows (conv, pools) or the transposed window of ConvTranspose.
    enum Direction { case forward, transposed }

    let h: Int, w: Int, oh: Int, ow: Int
    let kh: Int, kw: Int, sh: Int, sw: Int, dh: Int, dw: Int
    /// Padding before the first row / column (negative only for a transposed window).
    let pt: Int, pl: Int, pb: Int, pr: Int

    init(_ step: PlanStep, _ direction: Direction = .forward) throws {
        func ints(_ key: String, _ count: Int, minimum: Int, below limit: Int) throws -> [Int] {
            guard let v = step.attributes[key]?.ints, v.count == count, v.allSatisfy({ $0 >= minimum && $0 < limit }) else {
                throw RoostError.invalidArtifact("\(step.origin): attribute '\(key)' must hold \(count) values in [\(minimum), \(limit))")
            }
            return v
        }
        let size = 1 << 30, window = 1 << 16
        let input = try ints("inputSpatial", 2, minimum: 1, below: size), output = try ints("outputSpatial", 2, minimum: 1, below: size)
        let kernel = try ints("kernel", 2, minimum: 1, below: window), strides = try ints("strides", 2, minimum: 1, below: window)
        // A transposed window's pads may be negative: an ONNX output_shape beyond the
        // full extent widens the output (col2im then leaves those rows to the bias).
        let padMinimum = direction == .transposed ? -size : 0
        let dilations = try ints("dilations", 2, minimum: 1, below: window), pads = try ints("pads", 4, minimum: padMinimum, below: window)
        (h, w, oh, ow) = (input[0], input[1], output[0], output[1])
        (kh, kw, sh, sw, dh, dw) = (kernel[0], kernel[1], strides[0], strides[1], dilations[0], dilations[1])
        (pt, pl, pb, pr) = (pads[0], pads[1], pads[2], pads[3])
        for (i, o, k, s, d, before, after) in [(h, oh, kh, sh, dh, pt, pb), (w, ow, kw, sw, dw, pl, pr)] {
            let extent = (k - 1) * d + 1
            let consistent: Bool
            switch direction {
            case .forward:
                // Floor rounding, or ceil_mode's one extra window.
                let span = i + before + after - extent
                consistent = span >= 0 && (o == span / s + 1 || o == span / s + 2)
            case .transposed:
                // s·(i − 1) + extent − pads, plus an output_padding below max(s, d).
                let extra = o - (s * (i - 1) + extent - before - after)
                consistent = extra >= 0 && extra < Swift.max(s, d)
            }
            guard consistent else {
                throw RoostError.invalidArtifact("\(step.origin): output size \(o) does not follow from input \(i), kernel \(k), stride \(s), dilation \(d), pads \(before)+\(after)")
            }
        }
    }

    var inputPlane: Int { h * w }
    var outputPlane: Int { oh * ow }
    var taps: Int { kh * kw }

    /// The output columns [first, last) whose input column `ox·sw − pl + offset` lies in [0, w).
    @inline(__always)
    func validColumns(offset: Int) -> (Int, Int) {
        Self.range(start: offset - pl, stride: sw, limit: w, count: ow)
    }

    /// Indices i in [0, count) with 0 ≤ start + i·stride < limit, as [first, last).
    @inline(__always)
    static func range(start: Int, stride: Int, limit: Int, count: Int) -> (Int, Int) {
        let first = start >= 0 ? 0 : (-start + stride - 1) / stride
        let end = limit - start <= 0 ? 0 : (limit - start + stride - 1) / stride
        let last = Swift.min(count, end)
        return (Swift.min(first, last), last)
    }
}
