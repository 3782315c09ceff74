import Foundation
import Testing
import RoostCompiler
import RoostCore
import RoostONNX
@testable import RoostRuntime

/// Conv, ConvTranspose and pool kernels against hand-computed values (each
/// checked once against ONNX Runtime 1.32) and against plain-loop references.
@Suite struct CNNKernelTests {
    typealias S = CNNTestSupport

    func expectClose(_ got: HostTensor, _ want: [Float], shape: [Int], tolerance: Float = 1e-4, _ what: String = "") {
        #expect(got.shape == shape, "\(what): shape \(got.shape) ≠ \(shape)")
        #expect(got.isClose(to: HostTensor(shape: shape, data: want), rtol: tolerance, atol: tolerance), "\(what): got \(got.data)")
    }

    // MARK: Conv, hand-computed

    @Test func convWithBiasHandComputed() throws {
        // y = x[i][j] − x[i+1][j+1] + 0.5 = −3.5 everywhere for x = 1…9.
        let y = try S.run("Conv", S.ramp([1, 1, 3, 3], from: 1),
                          constants: [HostTensor(shape: [1, 1, 2, 2], data: [1, 0, 0, -1]), HostTensor(shape: [1], data: [0.5])])
        expectClose(y, [-3.5, -3.5, -3.5, -3.5], shape: [1, 1, 2, 2])
    }

    @Test func convPadsAndStridesHandComputed() throws {
        let y = try S.run("Conv", S.ramp([1, 1, 4, 4]), constants: [HostTensor(shape: [1, 1, 3, 3], repeating: 1)],
                          attributes: ["pads": .ints([1, 1, 1, 1]), "strides": .ints([2, 2])])
        expectClose(y, [10, 24, 51, 90], shape: [1, 1, 2, 2])
    }

    @Test func convDilationsHandComputed() throws {
        // y[i][j] = x[i][j] + x[i][j+2] + x[i+2][j] + x[i+2][j+2] = 20i + 4j + 24.
        let y = try S.run("Conv", S.ramp([1, 1, 5, 5]), constants: [HostTensor(shape: [1, 1, 2, 2], repeating: 1)],
                          attributes: ["dilations": .ints([2, 2])])
        expectClose(y, [24, 28, 32, 44, 48, 52, 64, 68, 72], shape: [1, 1, 3, 3])
    }

    @Test func convAutoPadHandComputed() throws {
        let ones = HostTensor(shape: [1, 1, 2, 2], repeating: 1)
        let x = S.ramp([1, 1, 3, 3], from: 1)
        expectClose(try S.run("Conv", x, constants: [ones], strings: ["auto_pad": "SAME_UPPER"]),
                    [12, 16, 9, 24, 28, 15, 15, 17, 9], shape: [1, 1, 3, 3], "SAME_UPPER")
        expectClose(try S.run("Conv", x, constants: [ones], strings: ["auto_pad": "SAME_LOWER"]),
                    [1, 3, 5, 5, 12, 16, 11, 24, 28], shape: [1, 1, 3, 3], "SAME_LOWER")
        expectClose(try S.run("Conv", x, constants: [ones], strings: ["auto_pad": "VALID"]),
                    [12, 16, 24, 28], shape: [1, 1, 2, 2], "VALID")
        let x5 = S.ramp([1, 1, 5, 5])
        expectClose(try S.run("Conv", x5, constants: [ones], attributes: ["strides": .ints([2, 2])], strings: ["auto_pad": "SAME_UPPER"]),
                    [12, 20, 13, 52, 60, 33, 41, 45, 24], shape: [1, 1, 3, 3], "SAME_UPPER stride 2")
        expectClose(try S.run("Conv", x5, constants: [ones], attributes: ["strides": .ints([2, 2])], strings: ["auto_pad": "SAME_LOWER"]),
                    [0, 3, 7, 15, 36, 44, 35, 76, 84], shape: [1, 1, 3, 3], "SAME_LOWER stride 2")
    }

    @Test func groupedAndDepthwiseConvHandComputed() throws {
        // Groups of two channels: output 0 = ch0 + ch1 = 3, output 1 = ch2 − ch3 = −1.
        let x = HostTensor(shape: [1, 4, 2, 2], data: [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4])
        let grouped = try S.run("Conv", x, constants: [HostTensor(shape: [2, 2, 1, 1], data: [1, 1, 1, -1])], attributes: ["group": .int(2)])
        expectClose(grouped, [3, 3, 3, 3, -1, -1, -1, -1], shape: [1, 2, 2, 2], "group 2")
        // Depthwise: channel 0 sums 2×2 windows of 1…9, channel 1 takes x[i][j] − x[i+1][j+1] of 10…18, plus bias.
        let w = HostTensor(shape: [2, 1, 2, 2], data: [1, 1, 1, 1, 1, 0, 0, -1])
        let depthwise = try S.run("Conv", S.ramp([1, 2, 3, 3], from: 1), constants: [w, HostTensor(shape: [2], data: [0, 0.5])],
                                  attributes: ["group": .int(2)])
        expectClose(depthwise, [12, 16, 24, 28, -3.5, -3.5, -3.5, -3.5], shape: [1, 2, 2, 2], "depthwise")
    }

    @Test func conv1DHandComputed() throws {
        var w = S.ramp([1, 2, 3])
        w.data = w.data.map { $0 * 0.5 }
        let y = try S.run("Conv", S.ramp([1, 2, 5]), constants: [w, HostTensor(shape: [1], data: [1])],
                          attributes: ["pads": .ints([1, 0]), "strides": .ints([2])])
        expectClose(y, [27, 48], shape: [1, 1, 2])
    }

    // MARK: Conv, against the reference

    struct ConvCase: CustomStringConvertible, Sendable {
        var batch = 1
        var channels: Int
        var outChannels: Int
        var group = 1
        var size: [Int]
        var kernel: [Int]
        var strides = [1, 1]
        var dilations = [1, 1]
        var pads = [0, 0, 0, 0]
        var bias = true
        var description: String { "C\(channels)→M\(outChannels) g\(group) \(size) k\(kernel) s\(strides) d\(dilations) p\(pads)" }
    }

    static let convCases: [ConvCase] = [
        ConvCase(channels: 3, outChannels: 8, size: [9, 11], kernel: [3, 3], pads: [1, 1, 1, 1]),
        ConvCase(batch: 2, channels: 4, outChannels: 6, group: 2, size: [7, 8], kernel: [3, 2], strides: [2, 1], pads: [1, 0, 2, 1]),
        ConvCase(channels: 6, outChannels: 6, group: 3, size: [10, 9], kernel: [3, 3], dilations: [2, 1], pads: [2, 1, 2, 1], bias: false),
        ConvCase(channels: 8, outChannels: 16, size: [6, 7], kernel: [1, 1]),  // gemm-1x1
        ConvCase(batch: 2, channels: 8, outChannels: 5, size: [6, 7], kernel: [1, 1], strides: [2, 2]),  // strided pointwise: im2col
        ConvCase(channels: 16, outChannels: 16, group: 16, size: [12, 21], kernel: [3, 3], pads: [1, 1, 1, 1]),  // depthwise
        ConvCase(batch: 2, channels: 8, outChannels: 8, group: 8, size: [13, 17], kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1]),
        // Stride-2 depthwise, channel multiplier 2, no left padding (even columns to phase 0), rows of 38: the AVX2 row split's vector loop and tail.
        ConvCase(channels: 4, outChannels: 8, group: 4, size: [9, 38], kernel: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1]),
        ConvCase(channels: 4, outChannels: 8, group: 4, size: [9, 10], kernel: [5, 3], strides: [1, 2], dilations: [2, 1], pads: [3, 0, 1, 2]),
        ConvCase(channels: 3, outChannels: 4, size: [16, 16], kernel: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3]),
    ]

    @Test(arguments: convCases)
    func convMatchesReference(_ c: ConvCase) throws {
        let x = HostTensor.seeded(shape: [c.batch, c.channels] + c.size, seed: 1)
        let w = HostTensor.seeded(shape: [c.outChannels, c.channels / c.group] + c.kernel, seed: 2)
        let b = c.bias ? HostTensor.seeded(shape: [c.outChannels], seed: 3) : nil
        let y = try S.run("Conv", x, constants: [w, b], attributes: [
            "group": .int(c.group), "strides": .ints(c.strides), "dilations": .ints(c.dilations), "pads": .ints(c.pads),
        ])
        let want = S.conv(x, w, b, group: c.group, .init(kernel: c.kernel, strides: c.strides, dilations: c.dilations, pads: c.pads))
        #expect(y.shape == want.shape)
        #expect(y.isClose(to: want, rtol: 1e-4, atol: 1e-5), "max diff \(y.maxAbsDifference(to: want))")
    }

    @Test func conv1DMatchesReference() throws {
        let x = HostTensor.seeded(shape: [2, 4, 19], seed: 4)
        let w = HostTensor.seeded(shape: [6, 2, 3], seed: 5)
        let y = try S.run("Conv", x, constants: [w], attributes: ["group": .int(2), "strides": .ints([2]), "pads": .ints([1, 2]), "dilations": .ints([2])])
        let want = S.conv(HostTensor(shape: [2, 4, 1, 19], data: x.data), HostTensor(shape: [6, 2, 1, 3], data: w.data), nil, group: 2,
                          .init(kernel: [1, 3], strides: [1, 2], dilations: [1, 2], pads: [0, 1, 0, 2]))
        #expect(y.shape == [2, 6, want.shape[3]])
        #expect(y.isClose(to: HostTensor(shape: y.shape, data: want.data), rtol: 1e-4, atol: 1e-5))
    }

    @Test func convRunsTwoThreadedToTheSameResult() throws {
        let x = HostTensor.seeded(shape: [1, 16, 20, 20], seed: 6)
        let w = HostTensor.seeded(shape: [32, 16, 3, 3], seed: 7)
        let model = try S.model("Conv", x: x.shape, constants: [w], attributes: ["pads": .ints([1, 1, 1, 1])])
        let one = try S.run(model, [x], threads: 1), two = try S.run(model, [x], threads: 2)
        #expect(one.isClose(to: two, rtol: 1e-5, atol: 1e-6))
    }

    /// Depthwise conv and the pools split (image, channel) planes over the threads
    /// with a fixed partition: any thread count gives bit-identical results, also
    /// when the planes do not divide evenly (2 × 7 planes over 3 or 4 threads).
    @Test func depthwiseAndPoolsAreIdenticalAtAnyThreadCount() throws {
        let x = HostTensor.seeded(shape: [2, 7, 40, 40], seed: 16)
        let w = HostTensor.seeded(shape: [14, 1, 3, 3], seed: 17), b = HostTensor.seeded(shape: [14], seed: 18)
        let window: [String: NodeAttributeValue] = ["kernel_shape": .ints([3, 3]), "pads": .ints([1, 1, 1, 1])]
        let models = [
            try S.model("Conv", x: x.shape, constants: [w, b], attributes: ["group": .int(7), "pads": .ints([1, 1, 1, 1]), "strides": .ints([2, 1])]),
            try S.model("MaxPool", x: x.shape, attributes: window),
            try S.model("AveragePool", x: x.shape, attributes: window),
        ]
        for model in models {
            let one = try S.run(model, [x], threads: 1)
            for threads in [2, 3, 4] {
                let many = try S.run(model, [x], threads: threads)
                #expect(many.shape == one.shape && many.data == one.data, "\(model.proto.graph.node[0].opType) at \(threads) threads")
            }
        }
        let depthwise = try S.run(models[0], [x], threads: 2)
        let want = S.conv(x, w, b, group: 7, .init(kernel: [3, 3], strides: [2, 1], pads: [1, 1, 1, 1]))
        #expect(depthwise.isClose(to: want, rtol: 1e-4, atol: 1e-5), "max diff \(depthwise.maxAbsDifference(to: want))")
    }

    /// The pools against their definition over windows whose interiors take the
    /// separate whole-window loop (3-wide max, other widths, dilation) and whose
    /// borders do not: strides, asymmetric padding, count_include_pad, ceil_mode.
    @Test func poolsMatchTheirDefinitionInsideAndAtTheBorders() throws {
        // Odd and even widths (the stride-2 max splits columns by parity); rows wide enough
        // for several 8-output blocks of the vector max pool, and its tails.
        for shape in [[2, 3, 13, 17], [1, 2, 8, 12], [1, 2, 7, 45], [1, 1, 5, 40]] {
            let x = HostTensor.seeded(shape: shape, seed: 21)
            let cases: [(kernel: [Int], strides: [Int], pads: [Int], dilations: [Int], ceil: Bool, includePad: Bool)] = [
                ([3, 3], [2, 2], [1, 1, 1, 1], [1, 1], false, false),  // the resnet stem's pool
                ([3, 3], [2, 2], [1, 0, 0, 1], [1, 1], true, false),
                ([3, 3], [2, 2], [2, 2, 2, 2], [1, 1], false, false),
                ([3, 3], [1, 1], [1, 1, 1, 1], [1, 1], false, false),
                ([2, 2], [2, 2], [0, 0, 0, 0], [1, 1], true, false),
                ([3, 5], [2, 3], [0, 2, 1, 1], [2, 1], false, true),
                ([1, 3], [1, 2], [0, 1, 0, 0], [1, 2], true, false),
            ]
            for c in cases {
                var attributes: [String: NodeAttributeValue] = ["kernel_shape": .ints(c.kernel), "strides": .ints(c.strides), "pads": .ints(c.pads),
                                                                "dilations": .ints(c.dilations), "ceil_mode": .int(c.ceil ? 1 : 0)]
                for op in ["MaxPool", "AveragePool"] {
                    if op == "AveragePool" { attributes["count_include_pad"] = .int(c.includePad ? 1 : 0) }
                    // A max pool on the AVX2 target takes the vector form where it has one
                    // (simd avx2); the SSE target's plan keeps the scalar loop for every case.
                    let model = try S.model(op, x: x.shape, attributes: attributes)
                    let avx2 = try Compiler().compile(model, name: "t", target: S.target())
                    let vector = op == "MaxPool" && c.kernel[1] == 3 && c.dilations[1] == 1 && c.strides[1] <= 2
                    #expect(avx2.plan.steps.contains { $0.attributes["simd"]?.string == "avx2" } == vector, "\(op) \(c)")
                    let sse = try Compiler().compile(model, name: "t", target: TargetSpec(isa: .x86_64_sse, blasCoreType: nil, threads: 1))
                    #expect(sse.plan.steps.allSatisfy { $0.attributes["simd"] == nil })
                    for artifact in vector ? [avx2, sse] : [avx2] {
                        let y = try InferenceSession(artifact: artifact).run([x])[0]
                        let (h, w) = (shape[2], shape[3]), planes = shape[0] * shape[1]
                        func outSize(_ n: Int, _ k: Int, _ s: Int, _ p0: Int, _ p1: Int, _ d: Int) -> Int {
                            let span = n + p0 + p1 - ((k - 1) * d + 1)
                            var o = (c.ceil ? (span + s - 1) / s : span / s) + 1
                            if c.ceil, (o - 1) * s >= n + p0 { o -= 1 }  // no window may start in the end padding
                            return o
                        }
                        let oh = outSize(h, c.kernel[0], c.strides[0], c.pads[0], c.pads[2], c.dilations[0])
                        let ow = outSize(w, c.kernel[1], c.strides[1], c.pads[1], c.pads[3], c.dilations[1])
                        #expect(y.shape == [shape[0], shape[1], oh, ow], "\(op) \(c)")
                        guard y.shape == [shape[0], shape[1], oh, ow] else { continue }
                        var want: [Float] = []
                        for plane in 0..<planes {
                            for oy in 0..<oh {
                                for ox in 0..<ow {
                                    var m = -Float.infinity, sum: Float = 0, valid = 0, padded = 0
                                    for ky in 0..<c.kernel[0] {
                                        for kx in 0..<c.kernel[1] {
                                            let iy = oy * c.strides[0] - c.pads[0] + ky * c.dilations[0], ix = ox * c.strides[1] - c.pads[1] + kx * c.dilations[1]
                                            if iy < h + c.pads[2], ix < w + c.pads[3] { padded += 1 }
                                            guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                                            let v = x.data[(plane * h + iy) * w + ix]
                                            m = max(m, v)
                                            sum += v
                                            valid += 1
                                        }
                                    }
                                    want.append(op == "MaxPool" ? m : sum / Float(c.includePad ? padded : valid))
                                }
                            }
                        }
                        #expect(y.isClose(to: HostTensor(shape: y.shape, data: want), rtol: 1e-5, atol: 1e-6),
                                "\(op) \(shape) \(c) \(artifact.header.target.isa): max diff \(y.maxAbsDifference(to: HostTensor(shape: y.shape, data: want)))")
                    }
                }
            }
        }
    }

    // MARK: ConvTranspose

    @Test func convTransposeHandComputed() throws {
        let x = S.ramp([1, 1, 2, 2], from: 1), ones2 = HostTensor(shape: [1, 1, 2, 2], repeating: 1), ones3 = HostTensor(shape: [1, 1, 3, 3], repeating: 1)
        expectClose(try S.run("ConvTranspose", x, constants: [ones2], attributes: ["strides": .ints([2, 2])]),
                    [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], shape: [1, 1, 4, 4], "stride 2")
        expectClose(try S.run("ConvTranspose", x, constants: [ones2]), [1, 3, 2, 4, 10, 6, 3, 7, 4], shape: [1, 1, 3, 3], "stride 1")
        expectClose(try S.run("ConvTranspose", x, constants: [ones2], attributes: ["strides": .ints([2, 2]), "output_padding": .ints([1, 1])]),
                    [1, 1, 2, 2, 0, 1, 1, 2, 2, 0, 3, 3, 4, 4, 0, 3, 3, 4, 4, 0, 0, 0, 0, 0, 0], shape: [1, 1, 5, 5], "output_padding")
        expectClose(try S.run("ConvTranspose", x, constants: [ones3], attributes: ["strides": .ints([2, 2])], strings: ["auto_pad": "SAME_UPPER"]),
                    [1, 1, 3, 2, 1, 1, 3, 2, 4, 4, 10, 6, 3, 3, 7, 4], shape: [1, 1, 4, 4], "SAME_UPPER")
        let lower: [Float] = [1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4]
        expectClose(try S.run("ConvTranspose", x, constants: [ones3], attributes: ["strides": .ints([2, 2])], strings: ["auto_pad": "SAME_LOWER"]),
                    lower, shape: [1, 1, 4, 4], "SAME_LOWER")
        expectClose(try S.run("ConvTranspose", x, constants: [ones3], attributes: ["strides": .ints([2, 2]), "output_shape": .ints([4, 4])]),
                    lower, shape: [1, 1, 4, 4], "output_shape")
    }

    @Test func convTransposeGroupsMatchReference() throws {
        let x = HostTensor.seeded(shape: [2, 4, 5, 6], seed: 8)
        let w = HostTensor.seeded(shape: [4, 3, 3, 2], seed: 9)
        let b = HostTensor.seeded(shape: [6], seed: 10)
        let win = CNNTestSupport.Window(kernel: [3, 2], strides: [2, 3], dilations: [1, 2], pads: [1, 0, 0, 1])
        let y = try S.run("ConvTranspose", x, constants: [w, b], attributes: [
            "group": .int(2), "strides": .ints(win.strides), "dilations": .ints(win.dilations), "pads": .ints(win.pads),
            "output_padding": .ints([1, 2]),
        ])
        let want = S.convTranspose(x, w, b, group: 2, win, outputPadding: [1, 2])
        #expect(y.shape == want.shape)
        #expect(y.isClose(to: want, rtol: 1e-4, atol: 1e-5), "max diff \(y.maxAbsDifference(to: want))")
    }

    @Test func weightsComputedAtRunTimeUseTheONNXLayout() throws {
        // W is a graph input, so nothing is packed at compile time: ConvTranspose
        // reads it as [C, M/g, kh, kw] (transposed sgemm), Conv as OIHW.
        let x = HostTensor.seeded(shape: [1, 4, 5, 5], seed: 11)
        for op in ["ConvTranspose", "Conv"] {
            let w = HostTensor.seeded(shape: op == "Conv" ? [6, 2, 3, 3] : [4, 3, 3, 3], seed: 12)
            var b = ModelBuilder(name: "dyn")
            let xi = b.input("x", shape: x.shape), wi = b.input("w", shape: w.shape)
            b.node(op, [xi, wi], output: "y", attributes: ["group": .int(2), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1])])
            b.output("y", shape: [])
            let model = try ONNXModel(data: b.serialized())
            let artifact = try Compiler().compile(model, name: "t", target: S.target())
            if op == "ConvTranspose" { #expect(artifact.plan.steps[0].attributes["weightLayout"] == .string("iohw")) }
            let got = try InferenceSession(artifact: artifact).run([x, w])[0]
            let win = CNNTestSupport.Window(kernel: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1])
            let want = op == "Conv" ? S.conv(x, w, nil, group: 2, win) : S.convTranspose(x, w, nil, group: 2, win)
            #expect(got.isClose(to: want, rtol: 1e-4, atol: 1e-5), "\(op): max diff \(got.maxAbsDifference(to: want))")
        }
    }

    @Test func convTransposeWithFusedRelu() throws {
        var b = ModelBuilder(name: "ctrelu")
        let x = b.input("x", shape: [1, 2, 3, 3])
        let w = HostTensor.seeded(shape: [2, 3, 2, 2], seed: 13), bias = HostTensor.seeded(shape: [3], seed: 14)
        let t = b.node("ConvTranspose", [x, b.initializer("w", w), b.initializer("b", bias)], attributes: ["strides": .ints([2, 2])])
        b.node("Relu", [t], output: "y")
        b.output("y", shape: [])
        let artifact = try Compiler().compile(try ONNXModel(data: b.serialized()), name: "t", target: S.target())
        #expect(artifact.plan.steps.map(\.kernel) == ["conv_transpose"])
        #expect(artifact.plan.steps[0].attributes["weightLayout"] == .string("packed"))
        let input = HostTensor.seeded(shape: [1, 2, 3, 3], seed: 15)
        var want = S.convTranspose(input, w, bias, group: 1, .init(kernel: [2, 2], strides: [2, 2]))
        want.data = want.data.map { max($0, 0) }
        let got = try InferenceSession(artifact: artifact).run([input])[0]
        #expect(got.isClose(to: want, rtol: 1e-4, atol: 1e-5))
    }

    // MARK: pools

    @Test func maxPoolCeilModeAndDilationsHandComputed() throws {
        // ceil_mode keeps a last window only if it starts inside the input or the begin padding.
        expectClose(try S.run("MaxPool", S.ramp([1, 1, 3, 3]), attributes: [
            "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "ceil_mode": .int(1),
        ]), [0, 2, 6, 8], shape: [1, 1, 2, 2], "ceil_mode")
        expectClose(try S.run("MaxPool", S.ramp([1, 1, 4, 4]), attributes: ["kernel_shape": .ints([2, 2]), "dilations": .ints([2, 2])]),
                    [10, 11, 14, 15], shape: [1, 1, 2, 2], "dilations")
        expectClose(try S.run("MaxPool", S.ramp([1, 1, 7]), attributes: ["kernel_shape": .ints([3]), "strides": .ints([2]), "ceil_mode": .int(1)]),
                    [2, 4, 6], shape: [1, 1, 3], "1-D")
    }

    @Test func averagePoolCountIncludePadHandComputed() throws {
        let x = S.ramp([1, 1, 5, 5])
        // The ceil_mode overhang never counts, even with count_include_pad.
        expectClose(try S.run("AveragePool", x, attributes: [
            "kernel_shape": .ints([2, 2]), "strides": .ints([2, 2]), "ceil_mode": .int(1), "count_include_pad": .int(1),
        ]), [3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24], shape: [1, 1, 3, 3], "ceil overhang")
        let padded: [String: NodeAttributeValue] = ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2]), "pads": .ints([1, 1, 1, 1]), "ceil_mode": .int(1)]
        var include = padded
        include["count_include_pad"] = .int(1)
        expectClose(try S.run("AveragePool", x, attributes: include),
                    [12.0 / 9, 3, 24.0 / 9, 7, 12, 9, 8, 13, 84.0 / 9], shape: [1, 1, 3, 3], "count_include_pad=1")
        expectClose(try S.run("AveragePool", x, attributes: padded),
                    [3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21], shape: [1, 1, 3, 3], "count_include_pad=0")
        expectClose(try S.run("AveragePool", S.ramp([1, 1, 4, 4]), attributes: ["kernel_shape": .ints([3, 3]), "strides": .ints([2, 2])],
                              strings: ["auto_pad": "SAME_LOWER"]),
                    [2.5, 4, 8.5, 10], shape: [1, 1, 2, 2], "SAME_LOWER")
    }

    @Test func globalPoolsHandComputed() throws {
        expectClose(try S.run("GlobalAveragePool", S.ramp([1, 2, 2, 2])), [1.5, 5.5], shape: [1, 2, 1, 1])
        expectClose(try S.run("GlobalMaxPool", S.ramp([1, 2, 2, 2])), [3, 7], shape: [1, 2, 1, 1])
    }

    // MARK: errors

    @Test func badConvsAreCompileErrorsNamingTheNode() throws {
        let x = HostTensor.seeded(shape: [1, 3, 8, 8], seed: 1)
        for (w, attrs) in [
            (HostTensor(shape: [4, 2, 3, 3]), [String: NodeAttributeValue]()),  // 2·1 ≠ 3 input channels
            (HostTensor(shape: [4, 3, 3, 3]), ["group": .int(2)]),
            (HostTensor(shape: [4, 3, 9, 9]), [:]),  // kernel larger than the input
            (HostTensor(shape: [4, 3, 3, 3]), ["pads": .ints([1, 1])]),
        ] {
            #expect { try S.run("Conv", x, constants: [w], attributes: attrs) } throws: { error in
                error is RoostError && "\(error)".contains("conv_1")
            }
        }
        #expect { try S.run("Conv", HostTensor(shape: [1, 1, 2, 2, 2]), constants: [HostTensor(shape: [1, 1, 1, 1, 1])]) } throws: { error in
            guard case RoostError.unsupported(let m)? = error as? RoostError else { return false }
            return m.contains("conv_1")
        }
    }

    @Test func artifactWhoseConvAttributesDisagreeWithShapesIsRefused() throws {
        let model = try S.model("Conv", x: [1, 3, 8, 8], constants: [HostTensor.seeded(shape: [4, 3, 3, 3], seed: 1)])
        var artifact = try Compiler().compile(model, name: "t", target: S.target())
        let i = try #require(artifact.plan.steps.firstIndex { $0.kernel == "conv" })
        artifact.plan.steps[i].attributes["inputSpatial"] = .ints([80, 80])
        #expect(throws: RoostError.self) { try InferenceSession(artifact: artifact) }
        for (key, value) in [("pads", PlanAttribute.ints([9, 0, 0, 0])), ("strides", .ints([1 << 40, 1])), ("kernel", .ints([1 << 20, 3]))] {
            artifact = try Compiler().compile(model, name: "t", target: S.target())
            artifact.plan.steps[i].attributes[key] = value
            #expect(throws: RoostError.self, "\(key)") { try InferenceSession(artifact: artifact) }
        }
        artifact = try Compiler().compile(model, name: "t", target: S.target())
        artifact.plan.steps[i].attributes["algorithm"] = .string("winograd")
        #expect { try InferenceSession(artifact: artifact) } throws: { "\($0)".contains("winograd") }
    }
}
