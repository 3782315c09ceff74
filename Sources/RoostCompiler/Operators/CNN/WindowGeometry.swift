import RoostCore

/// Sliding-window arithmetic shared by Conv, ConvTranspose and the pools: reads
/// `kernel_shape`/`strides`/`dilations`/`pads`/`auto_pad`, resolves automatic
/// padding and computes output sizes with ONNX (and ONNX Runtime) rounding.
///
/// Everything is normalized to two spatial axes — a 1-D operator becomes H = 1 —
/// so every runtime kernel has a single 2-D code path.
public struct WindowGeometry: Sendable, Equatable {
    /// Spatial rank as written in the model (1 or 2).
    public var spatialRank: Int
    /// [H, W] of the (forward) input.
    public var input: [Int]
    /// [kh, kw].
    public var kernel: [Int]
    public var strides: [Int]
    public var dilations: [Int]
    /// [top, left, bottom, right].
    public var pads: [Int]
    /// [OH, OW].
    public var output: [Int]

    /// Extent of the dilated kernel along axis `i` (0 = H, 1 = W).
    public func extent(_ i: Int) -> Int { (kernel[i] - 1) * dilations[i] + 1 }

    /// The attributes every windowed kernel reads, in one place so lowerings agree.
    public var planAttributes: [String: PlanAttribute] {
        [
            "inputSpatial": .ints(input), "outputSpatial": .ints(output), "kernel": .ints(kernel),
            "strides": .ints(strides), "dilations": .ints(dilations), "pads": .ints(pads),
        ]
    }

    /// A forward window (Conv, MaxPool, AveragePool) over `spatial` with kernel `kernel`.
    /// `ceilMode` follows ONNX Runtime/PyTorch: a last window that would start in
    /// the end padding is dropped.
    public static func forward(_ node: Node, spatial: [Int], kernel: [Int], ceilMode: Bool = false) throws -> WindowGeometry {
        let r = spatial.count
        let p = try parameters(node, rank: r, spatial: spatial, kernel: kernel)
        var pads = p.pads
        var output = [Int](repeating: 0, count: r)
        for i in 0..<r {
            let extent = (kernel[i] - 1) * p.dilations[i] + 1
            switch p.autoPad {
            case "NOTSET":
                let span = spatial[i] + pads[i] + pads[i + r] - extent
                guard span >= 0 else {
                    throw RoostError.invalidModel("\(node.label): window of extent \(extent) does not fit spatial size \(spatial[i]) with pads \(pads[i])+\(pads[i + r])")
                }
                if ceilMode {
                    var o = (span + p.strides[i] - 1) / p.strides[i] + 1
                    if (o - 1) * p.strides[i] >= spatial[i] + pads[i] { o -= 1 }
                    output[i] = o
                } else {
                    output[i] = span / p.strides[i] + 1
                }
            case "VALID":
                pads[i] = 0
                pads[i + r] = 0
                guard spatial[i] >= extent else {
                    throw RoostError.invalidModel("\(node.label): window of extent \(extent) is larger than spatial size \(spatial[i]) (auto_pad VALID)")
                }
                output[i] = (spatial[i] - extent) / p.strides[i] + 1
            default:  // SAME_UPPER, SAME_LOWER
                output[i] = (spatial[i] + p.strides[i] - 1) / p.strides[i]
                let total = max(0, (output[i] - 1) * p.strides[i] + extent - spatial[i])
                pads[i] = p.autoPad == "SAME_UPPER" ? total / 2 : total - total / 2
                pads[i + r] = total - pads[i]
            }
        }
        return normalized(rank: r, input: spatial, kernel: kernel, strides: p.strides, dilations: p.dilations, pads: pads, output: output)
    }

    /// A transposed window (ConvTranspose): `spatial` is its input, `output` the
    /// upsampled result; pads follow the ONNX ConvTranspose equations.
    public static func transposed(_ node: Node, spatial: [Int], kernel: [Int]) throws -> (WindowGeometry, outputPadding: [Int]) {
        let r = spatial.count
        let p = try parameters(node, rank: r, spatial: spatial, kernel: kernel)
        let outputPadding = node.ints("output_padding") ?? Array(repeating: 0, count: r)
        guard outputPadding.count == r, outputPadding.allSatisfy({ $0 >= 0 }) else {
            throw RoostError.invalidModel("\(node.label): output_padding \(outputPadding) must hold \(r) non-negative values")
        }
        for i in 0..<r where outputPadding[i] >= max(p.strides[i], p.dilations[i]) {
            throw RoostError.invalidModel("\(node.label): output_padding \(outputPadding) must be smaller than the stride or dilation")
        }
        var pads = p.pads
        var output = [Int](repeating: 0, count: r)
        let requested = node.ints("output_shape").map { Array($0.suffix(r)) }
        if let requested, requested.count != r || !requested.allSatisfy({ $0 >= 1 && $0 < 1 << 30 }) {
            throw RoostError.invalidModel("\(node.label): output_shape \(requested) must hold \(r) spatial sizes")
        }
        for i in 0..<r {
            let extent = (kernel[i] - 1) * p.dilations[i] + 1
            let full = p.strides[i] * (spatial[i] - 1) + outputPadding[i] + extent
            if p.autoPad == "VALID" {
                pads[i] = 0
                pads[i + r] = 0
            }
            let target: Int? = requested?[i] ?? (p.autoPad.hasPrefix("SAME") ? spatial[i] * p.strides[i] : nil)
            if let target {
                // A target beyond the full extent makes the total negative: negative pads
                // widen the output, and the rows no input reaches stay zero (plus bias).
                // ONNX halves with floor division, so an odd negative total puts the
                // extra row at the end unless auto_pad is SAME_UPPER.
                let total = full - target
                let half = Self.floorHalf(total)
                pads[i] = p.autoPad == "SAME_UPPER" ? half : total - half
                pads[i + r] = total - pads[i]
                output[i] = target
            } else {
                output[i] = full - pads[i] - pads[i + r]
            }
            guard output[i] >= 1 else {
                throw RoostError.invalidModel("\(node.label): pads \(pads) leave no output along spatial axis \(i)")
            }
        }
        let g = normalized(rank: r, input: spatial, kernel: kernel, strides: p.strides, dilations: p.dilations, pads: pads, output: output)
        return (g, r == 1 ? [0] + outputPadding : outputPadding)
    }

    /// ⌊n / 2⌋, also for negative n (Swift's `/` truncates toward zero).
    static func floorHalf(_ n: Int) -> Int { n >= 0 ? n / 2 : -((-n + 1) / 2) }

    private struct Parameters {
        var strides: [Int], dilations: [Int], pads: [Int], autoPad: String
    }

    /// Largest kernel size, stride, dilation or pad accepted (the runtime's bound too).
    public static let limit = 65_535

    private static func parameters(_ node: Node, rank r: Int, spatial: [Int], kernel: [Int]) throws -> Parameters {
        guard r == 1 || r == 2 else {
            throw RoostError.unsupported("\(node.label): \(r)-D windows are not supported (1-D and 2-D are)")
        }
        guard kernel.count == r, kernel.allSatisfy({ $0 >= 1 && $0 <= limit }) else {
            throw RoostError.invalidModel("\(node.label): kernel shape \(kernel) must hold \(r) sizes in 1...\(limit)")
        }
        let strides = node.ints("strides") ?? Array(repeating: 1, count: r)
        let dilations = node.ints("dilations") ?? Array(repeating: 1, count: r)
        let pads = node.ints("pads") ?? Array(repeating: 0, count: 2 * r)
        guard strides.count == r, strides.allSatisfy({ $0 >= 1 && $0 <= limit }) else {
            throw RoostError.invalidModel("\(node.label): strides \(strides) must hold \(r) values in 1...\(limit)")
        }
        guard dilations.count == r, dilations.allSatisfy({ $0 >= 1 && $0 <= limit }) else {
            throw RoostError.invalidModel("\(node.label): dilations \(dilations) must hold \(r) values in 1...\(limit)")
        }
        guard pads.count == 2 * r, pads.allSatisfy({ $0 >= 0 && $0 <= limit }) else {
            throw RoostError.invalidModel("\(node.label): pads \(pads) must hold \(2 * r) values in 0...\(limit)")
        }
        guard spatial.allSatisfy({ $0 >= 1 && $0 < 1 << 30 }) else {
            throw RoostError.invalidModel("\(node.label): spatial sizes \(spatial) must lie in 1..<2³⁰")
        }
        let autoPad = node.attributes["auto_pad"]?.string ?? "NOTSET"
        guard ["NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(autoPad) else {
            throw RoostError.invalidModel("\(node.label): auto_pad '\(autoPad)' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER")
        }
        return Parameters(strides: strides, dilations: dilations, pads: pads, autoPad: autoPad)
    }

    private static func normalized(rank r: Int, input: [Int], kernel: [Int], strides: [Int], dilations: [Int], pads: [Int], output: [Int]) -> WindowGeometry {
        if r == 2 {
            return WindowGeometry(spatialRank: 2, input: input, kernel: kernel, strides: strides, dilations: dilations, pads: pads, output: output)
        }
        return WindowGeometry(
            spatialRank: 1, input: [1, input[0]], kernel: [1, kernel[0]], strides: [1, strides[0]], dilations: [1, dilations[0]],
            pads: [0, pads[0], 0, pads[1]], output: [1, output[0]])
    }

    /// The output spatial dims in the model's rank (drops the H = 1 of 1-D ops).
    public var modelOutput: [Int] { spatialRank == 2 ? output : [output[1]] }
}
