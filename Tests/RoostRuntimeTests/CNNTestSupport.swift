import Foundation
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostRuntime

/// Builds, compiles and runs small CNN models for the CNN tests, plus plain-loop
/// reference implementations written straight from the ONNX definitions (no
/// im2col, no BLAS) to check the optimized kernels against.
enum CNNTestSupport {
    static func target(threads: Int = 1) -> TargetSpec { TargetSpec(isa: .x86_64_avx2, blasCoreType: nil, threads: threads) }

    /// A one-node model: `op` over graph input `x` and initializers (nil = omitted input).
    static func model(_ op: String, x: [Int], constants: [HostTensor?] = [], attributes: [String: NodeAttributeValue] = [:],
                      strings: [String: String] = [:]) throws -> ONNXModel {
        var b = ModelBuilder(name: op.lowercased())
        var inputs = [b.input("x", shape: x)]
        for (i, c) in constants.enumerated() { inputs.append(c.map { b.initializer("c\(i)", $0) } ?? "") }
        b.node(op, inputs, output: "y", attributes: attributes)
        b.output("y", shape: [])
        return try withStrings(ONNXModel(data: b.serialized()), node: 0, strings)
    }

    /// Adds string attributes (ModelBuilder has none) to node `node`.
    static func withStrings(_ model: ONNXModel, node: Int, _ strings: [String: String]) -> ONNXModel {
        var model = model
        for (key, value) in strings.sorted(by: { $0.key < $1.key }) {
            var a = Onnx_AttributeProto()
            a.name = key
            a.type = .string
            a.s = Data(value.utf8)
            model.proto.graph.node[node].attribute.append(a)
        }
        return model
    }

    static func run(_ model: ONNXModel, _ inputs: [HostTensor], threads: Int = 1) throws -> HostTensor {
        let artifact = try Compiler().compile(model, name: "t", target: target(threads: threads))
        let session = try InferenceSession(artifact: ArtifactCodec.decode(ArtifactCodec.encode(artifact)))
        return try session.run(inputs)[0]
    }

    static func run(_ op: String, _ x: HostTensor, constants: [HostTensor?] = [], attributes: [String: NodeAttributeValue] = [:],
                    strings: [String: String] = [:]) throws -> HostTensor {
        try run(model(op, x: x.shape, constants: constants, attributes: attributes, strings: strings), [x])
    }

    static func ramp(_ shape: [Int], from start: Float = 0) -> HostTensor {
        HostTensor(shape: shape, data: (0..<shape.reduce(1, *)).map { start + Float($0) })
    }

    // MARK: references

    struct Window {
        var kernel: [Int]
        var strides = [1, 1]
        var dilations = [1, 1]
        var pads = [0, 0, 0, 0]
    }

    /// Conv by its definition, 2-D NCHW (1-D callers use H = 1).
    static func conv(_ x: HostTensor, _ w: HostTensor, _ b: HostTensor?, group: Int, _ win: Window) -> HostTensor {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (m, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let oh = (h + win.pads[0] + win.pads[2] - ((kh - 1) * win.dilations[0] + 1)) / win.strides[0] + 1
        let ow = (wd + win.pads[1] + win.pads[3] - ((kw - 1) * win.dilations[1] + 1)) / win.strides[1] + 1
        var y = HostTensor(shape: [n, m, oh, ow])
        let mg = m / group
        for i in 0..<n { for o in 0..<m { for oy in 0..<oh { for ox in 0..<ow {
            var s = b?.data[o] ?? 0
            let g = o / mg
            for ci in 0..<cg { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy * win.strides[0] - win.pads[0] + ky * win.dilations[0]
                let ix = ox * win.strides[1] - win.pads[1] + kx * win.dilations[1]
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                s += x.data[((i * c + g * cg + ci) * h + iy) * wd + ix] * w.data[((o * cg + ci) * kh + ky) * kw + kx]
            } } }
            y.data[((i * m + o) * oh + oy) * ow + ox] = s
        } } } }
        return y
    }

    /// ConvTranspose by its definition (scatter every input pixel through the kernel).
    static func convTranspose(_ x: HostTensor, _ w: HostTensor, _ b: HostTensor?, group: Int, _ win: Window, outputPadding: [Int] = [0, 0]) -> HostTensor {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (mg, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        let m = mg * group, cg = c / group
        let oh = win.strides[0] * (h - 1) + outputPadding[0] + (kh - 1) * win.dilations[0] + 1 - win.pads[0] - win.pads[2]
        let ow = win.strides[1] * (wd - 1) + outputPadding[1] + (kw - 1) * win.dilations[1] + 1 - win.pads[1] - win.pads[3]
        var y = HostTensor(shape: [n, m, oh, ow])
        for i in 0..<n { for o in 0..<m { for p in 0..<(oh * ow) { y.data[(i * m + o) * oh * ow + p] = b?.data[o] ?? 0 } } }
        for i in 0..<n { for ci in 0..<c { for iy in 0..<h { for ix in 0..<wd {
            let g = ci / cg
            for mo in 0..<mg { for ky in 0..<kh { for kx in 0..<kw {
                let oy = iy * win.strides[0] - win.pads[0] + ky * win.dilations[0]
                let ox = ix * win.strides[1] - win.pads[1] + kx * win.dilations[1]
                guard oy >= 0, oy < oh, ox >= 0, ox < ow else { continue }
                y.data[((i * m + g * mg + mo) * oh + oy) * ow + ox] +=
                    x.data[((i * c + ci) * h + iy) * wd + ix] * w.data[((ci * mg + mo) * kh + ky) * kw + kx]
            } } }
        } } } }
        return y
    }

    /// Inference BatchNormalization by its definition.
    static func batchNorm(_ x: HostTensor, scale: HostTensor, bias: HostTensor, mean: HostTensor, variance: HostTensor, epsilon: Float) -> HostTensor {
        var y = x
        let c = x.shape[1], plane = x.shape[2...].reduce(1, *)
        for i in 0..<x.data.count {
            let ch = (i / plane) % c
            y.data[i] = (x.data[i] - mean.data[ch]) / (variance.data[ch] + epsilon).squareRoot() * scale.data[ch] + bias.data[ch]
        }
        return y
    }
}
