import RoostCore

/// The 2-D window of a conv or pool step, decoded from its attributes
/// (`inputSpatial`, `outputSpatial`, `kernel`, `strides`, `dilations`, `pads`) and
/// checked, so kernels index memory only with validated sizes.
struct WindowParameters: Sendable {
    let h: Int, w: Int, oh: Int, ow: Int
    let kh: Int, kw: Int, sh: Int, sw: Int, dh: Int, dw: Int
    /// Padding before the first row / column.
    let pt: Int, pl: Int, pb: Int, pr: Int

    init(_ step: PlanStep) throws {
        func ints(_ key: String, _ count: Int, minimum: Int) throws -> [Int] {
            guard let v = step.attributes[key]?.ints, v.count == count, v.allSatisfy({ $0 >= minimum && $0 < 1 << 30 }) else {
                throw RoostError.invalidArtifact("\(step.origin): attribute '\(key)' must hold \(count) values ≥ \(minimum)")
            }
            return v
        }
        let input = try ints("inputSpatial", 2, minimum: 1), output = try ints("outputSpatial", 2, minimum: 1)
        let kernel = try ints("kernel", 2, minimum: 1), strides = try ints("strides", 2, minimum: 1)
        let dilations = try ints("dilations", 2, minimum: 1), pads = try ints("pads", 4, minimum: 0)
        (h, w, oh, ow) = (input[0], input[1], output[0], output[1])
        (kh, kw, sh, sw, dh, dw) = (kernel[0], kernel[1], strides[0], strides[1], dilations[0], dilations[1])
        (pt, pl, pb, pr) = (pads[0], pads[1], pads[2], pads[3])
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
