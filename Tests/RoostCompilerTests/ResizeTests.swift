import Foundation
import Testing
import RoostCore
@testable import RoostCompiler
@testable import RoostRuntime

/// ONNX Resize against hand-computed values, each checked at run time and as
/// folded by the compile-time evaluator; plus the compile errors and the
/// `resize` kernel's refusal of damaged steps.
@Suite struct ResizeTests {
    let h = TensorHarness.self

    /// A Resize node's attributes, strings as ONNX gives them.
    func attrs(_ mode: String, _ coordinates: String? = nil, _ extra: [String: NodeAttribute] = [:]) -> [String: NodeAttribute] {
        var a: [String: NodeAttribute] = ["mode": .string(mode)]
        if let coordinates { a["coordinate_transformation_mode"] = .string(coordinates) }
        return a.merging(extra) { _, b in b }
    }

    /// Resize of `x` by constant `scales` (input 2).
    func scaled(_ x: HostTensor, _ scales: [Float], _ a: [String: NodeAttribute], tolerance: Float = 1e-5, _ want: HostTensor,
                sourceLocation: SourceLocation = #_sourceLocation) throws {
        try h.expect("Resize", [x, nil, T([scales.count], scales)], attributes: a, opset: 19, tolerance: tolerance, want, sourceLocation: sourceLocation)
    }

    /// Resize of `x` to constant `sizes` (input 3).
    func sized(_ x: HostTensor, _ sizes: [Int], roi: [Float]? = nil, _ a: [String: NodeAttribute], _ want: HostTensor,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        try h.expect("Resize", [x, roi.map { T([$0.count], $0) }, nil, I(sizes)], attributes: a, opset: 19, want, sourceLocation: sourceLocation)
    }

    /// The kernels a one-node Resize graph compiles to.
    func kernels(_ x: HostTensor, scales: [Float], _ a: [String: NodeAttribute]) throws -> [String] {
        var g = h.graph("Resize", [x, nil, T([scales.count], scales)], attributes: a, opset: 19)
        for pass in Compiler().passes { try pass.run(&g) }
        return try PlanBuilder().build(g).plan.steps.map(\.kernel)
    }

    @Test func nearestIsAGatherOnTheRemapKernel() throws {
        let x = T([1, 1, 2, 2], [1, 2, 3, 4])
        // half_pixel: output columns map to -0.25, 0.25, 0.75, 1.25 → 0, 0, 1, 1.
        try scaled(x, [1, 1, 2, 2], attrs("nearest"), T([1, 1, 4, 4], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]))
        #expect(try kernels(x, scales: [1, 1, 2, 2], attrs("nearest")) == ["remap"])
        #expect(try kernels(x, scales: [1, 1, 2, 2], attrs("linear")) == ["resize"])
    }

    @Test func nearestModesRoundTies() throws {
        // Downscale by 2, half_pixel: outputs sample 0.5 and 2.5, exact ties.
        let x = T([4], [10, 20, 30, 40])
        for (mode, want) in [("round_prefer_floor", [10, 30]), ("round_prefer_ceil", [20, 40]), ("floor", [10, 30]), ("ceil", [20, 40])] as [(String, [Float])] {
            try scaled(x, [0.5], attrs("nearest", nil, ["nearest_mode": .string(mode)]), T([2], want))
        }
        // asymmetric ×2: 0, 0.5, 1, …; floor keeps an exact coordinate, ceil rounds 0.5 up.
        try scaled(T([2], [1, 2]), [2], attrs("nearest", "asymmetric", ["nearest_mode": .string("floor")]), T([4], [1, 1, 2, 2]))
        try scaled(T([2], [1, 2]), [2], attrs("nearest", "asymmetric", ["nearest_mode": .string("ceil")]), T([4], [1, 2, 2, 2]))
    }

    @Test func linearCoordinateTransformations() throws {
        let x = T([2], [0, 4])
        // half_pixel: -0.25 (edge), 0.25, 0.75, 1.25 (edge).
        try scaled(x, [2], attrs("linear"), T([4], [0, 1, 3, 4]))
        try scaled(x, [2], attrs("linear", "pytorch_half_pixel"), T([4], [0, 1, 3, 4]))
        // align_corners: x · (2 − 1) / (4 − 1).
        try scaled(x, [2], attrs("linear", "align_corners"), T([4], [0, 4.0 / 3, 8.0 / 3, 4]))
        // asymmetric: x / 2.
        try scaled(x, [2], attrs("linear", "asymmetric"), T([4], [0, 2, 4, 4]))
        // pytorch_half_pixel samples -0.5 (the first element) for a length-1 output; half_pixel the middle.
        try h.expect("Resize", [T([4], [0, 4, 8, 12]), nil, nil, I([1])], attributes: attrs("linear", "pytorch_half_pixel"), opset: 19, T([1], [0]))
        try h.expect("Resize", [T([4], [0, 4, 8, 12]), nil, nil, I([1])], attributes: attrs("linear"), opset: 19, T([1], [6]))
        // half_pixel_symmetric centers a rounded-down output: scale 0.6 of 4 is 2.4 → 2,
        // offset 2 · (1 − 2/2.4) = 1/3, so outputs sample 1/3 + 1/3 = 2/3 and 2/3 + 5/3 = 7/3.
        try scaled(T([4], [0, 3, 6, 9]), [0.6], attrs("linear", "half_pixel_symmetric"), tolerance: 1e-5, T([2], [2, 7]))
    }

    @Test func bilinearOverTheSpatialAxes() throws {
        // align_corners 2×2 → 3×3: the middle row and column are averages.
        try sized(T([1, 1, 2, 2], [0, 1, 2, 3]), [1, 1, 3, 3], attrs("linear", "align_corners"),
                  T([1, 1, 3, 3], [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]))
        // Batch and channels stay independent planes.
        let x = T([2, 2, 1, 2], [0, 4, 10, 14, 20, 24, 30, 34])
        try scaled(x, [1, 1, 1, 2], attrs("linear", "asymmetric"),
                   T([2, 2, 1, 4], [0, 2, 4, 4, 10, 12, 14, 14, 20, 22, 24, 24, 30, 32, 34, 34]))
    }

    @Test func cubicKeysKernel() throws {
        // asymmetric ×2 samples 0, 0.5, 1, …; at half steps the taps weigh
        // W(1.5), W(0.5), W(0.5), W(1.5) = -0.09375, 0.59375, 0.59375, -0.09375 (a = -0.75).
        let x = T([4], [0, 16, 0, 0])
        try scaled(x, [2], attrs("cubic", "asymmetric"), T([8], [0, 9.5, 16, 9.5, 0, -1.5, 0, 0]))
        // exclude_outside drops taps outside the input (at -1 for output 1, at 4 for
        // output 5) and renormalizes the other three, which sum to 1.09375.
        try scaled(x, [2], attrs("cubic", "asymmetric", ["exclude_outside": .int(1)]), tolerance: 1e-5,
                   T([8], [0, 16 * 0.59375 / 1.09375, 16, 9.5, 0, -1.5 / 1.09375, 0, 0]))
        // The ONNX node test test_resize_downsample_scales_cubic (4×4 ramp, scale 0.8).
        let ramp = T([1, 1, 4, 4], (1...16).map(Float.init))
        try scaled(ramp, [1, 1, 0.8, 0.8], attrs("cubic"), tolerance: 1e-5, T([1, 1, 3, 3], [
            1.47119140625, 2.78125, 4.08251953125, 6.71142578125, 8.021484375, 9.32275390625, 11.91650390625, 13.2265625, 14.52783203125,
        ]))
    }

    @Test func antialiasStretchesTheFilterWhenDownscaling() throws {
        // Scale 0.5: the triangle spans 4 taps, 0.125 0.375 0.375 0.125 (the first
        // at -1 reads the edge): 4 · 0.375 + 8 · 0.125 = 2.5 and 4 · 0.125 + 8 · 0.375 + 12 · 0.5 = 9.5.
        let x = T([4], [0, 4, 8, 12])
        try scaled(x, [0.5], attrs("linear", nil, ["antialias": .int(1)]), T([2], [2.5, 9.5]))
        try scaled(x, [0.5], attrs("linear"), T([2], [2, 10]))
        // Upscaling is unaffected.
        try scaled(T([2], [0, 4]), [2], attrs("linear", nil, ["antialias": .int(1)]), T([4], [0, 1, 3, 4]))
    }

    @Test func tfCropAndResizeExtrapolates() throws {
        // roi [0.5, 1.5] of 4 elements: 1.5 + 1.5·x → 1.5, 3, 4.5 (outside → 7).
        let a = attrs("linear", "tf_crop_and_resize", ["extrapolation_value": .float(7)])
        try sized(T([4], [0, 10, 20, 30]), [3], roi: [0.5, 1.5], a, T([3], [15, 30, 7]))
        // Nearest too (a gather whose padding is the extrapolation value); 1.5 rounds down.
        try sized(T([4], [0, 10, 20, 30]), [3], roi: [0.5, 1.5], attrs("nearest", "tf_crop_and_resize", ["extrapolation_value": .float(7)]),
                  T([3], [10, 30, 7]))
        // Rows: roi [0, 1.5] samples 0 and 1.5 (outside, so the whole row extrapolates);
        // columns: roi [0.25, 0.75] samples 0.25 and 0.75.
        try sized(T([2, 2], [0, 1, 2, 3]), [2, 2], roi: [0, 0.25, 1.5, 0.75], attrs("linear", "tf_crop_and_resize", ["extrapolation_value": .float(-1)]),
                  T([2, 2], [0.25, 0.75, -1, -1]))
    }

    @Test func axesAndKeepAspectRatio() throws {
        let x = T([1, 1, 2, 4], (1...8).map(Float.init))
        let axes: NodeAttribute = .ints([2, 3])
        // Scales 1/2 and 3/4: not_larger takes 1/2 → 1 × 2; not_smaller 3/4 → 2 (1.5 rounded up) × 3.
        try sized(x, [1, 3], attrs("nearest", nil, ["axes": axes, "keep_aspect_ratio_policy": .string("not_larger")]), T([1, 1, 1, 2], [1, 3]))
        try sized(x, [1, 3], attrs("nearest", nil, ["axes": axes, "keep_aspect_ratio_policy": .string("not_smaller")]),
                  T([1, 1, 2, 3], [1, 2, 4, 5, 6, 8]))
        // Axes in any order, negative allowed.
        try scaled(T([1, 2], [1, 2]), [2, 1], attrs("nearest", nil, ["axes": .ints([-1, 0])]), T([1, 4], [1, 1, 2, 2]))
    }

    @Test func compileTimeErrors() throws {
        let x = T([1, 1, 2, 2], [1, 2, 3, 4])
        // scales fed at run time: the output shape is unknown, which Roost refuses by name.
        #expect {
            try h.evaluate("Resize", [x, nil, T([4], [1, 1, 2, 2])], attributes: attrs("linear"), fed: 3, opset: 19)
        } throws: { error in
            guard case RoostError.unsupported(let message) = error else { return false }
            return message.contains("Resize node 'n'") && message.contains("scales") && message.contains("compile-time constant")
        }
        #expect(throws: RoostError.self) { try h.evaluate("Resize", [x, nil, T([4], [1, 1, 2, 2]), I([1, 1, 4, 4])], opset: 19) }
        #expect(throws: RoostError.self) { try h.evaluate("Resize", [x], opset: 19) }
        #expect(throws: RoostError.self) { try h.evaluate("Resize", [x, nil, T([2], [2, 2])], opset: 19) }
        #expect(throws: RoostError.self) { try h.evaluate("Resize", [x, nil, T([4], [1, 1, 0, 2])], opset: 19) }
        #expect {
            try h.evaluate("Resize", [x, nil, T([4], [1, 1, 2, 2])], attributes: attrs("lanczos"), opset: 19)
        } throws: { "\($0)".contains("mode 'lanczos'") }
        #expect {
            try h.evaluate("Resize", [x, nil, T([4], [1, 1, 2, 2])], types: [.int64], attributes: attrs("linear"), opset: 19)
        } throws: { "\($0)".contains("nearest mode only") }
        // tf_crop_and_resize without its roi.
        #expect(throws: RoostError.self) {
            try h.evaluate("Resize", [x, nil, T([4], [1, 1, 2, 2])], attributes: attrs("linear", "tf_crop_and_resize"), opset: 19)
        }
    }

    @Test func damagedResizeStepsAreRefused() throws {
        var g = h.graph("Resize", [T([1, 1, 2, 2], [1, 2, 3, 4]), nil, T([4], [1, 1, 2, 2])], attributes: attrs("cubic"), opset: 19)
        for pass in Compiler().passes { try pass.run(&g) }
        let (plan, weights) = try PlanBuilder().build(g)
        let header = ArtifactHeader(compilerVersion: "test", target: h.target, modelSHA256: "", modelName: "t")
        let step = try #require(plan.steps.first)
        #expect(step.kernel == "resize")
        _ = try InferenceSession(artifact: Artifact(header: header, plan: plan, weights: weights))
        let indices = try #require(step.attributes["indices"]?.ints)
        let damage: [(String, PlanAttribute?)] = [
            ("indices", .ints(indices.map { $0 + 2 })), ("indices", .ints(indices.map { _ in -2 })), ("indices", .ints(Array(indices.dropLast()))),
            ("weights", .floats([1])), ("weights", nil), ("taps", .ints([0, 4])), ("taps", .ints([1 << 20, 4])),
            ("inputDims", .ints([2, 3])), ("outputDims", .ints([4])), ("planes", .int(2)), ("planes", .int(0)), ("planes", nil),
        ]
        for (key, value) in damage {
            var bad = plan
            bad.steps[0].attributes[key] = value
            #expect(throws: RoostError.self, "\(key) = \(String(describing: value))") {
                try InferenceSession(artifact: Artifact(header: header, plan: bad, weights: weights))
            }
        }
    }

    @Test func artifactsAreDeterministic() throws {
        func compile() throws -> Data {
            var g = h.graph("Resize", [T([1, 2, 3, 3], (0..<18).map(Float.init)), nil, T([4], [1, 1, 1.7, 2.3])],
                            attributes: attrs("cubic", nil, ["antialias": .int(1)]), opset: 19)
            for pass in Compiler().passes { try pass.run(&g) }
            let (plan, weights) = try PlanBuilder().build(g)
            let header = ArtifactHeader(compilerVersion: "test", target: h.target, modelSHA256: "", modelName: "t")
            return ArtifactCodec.encode(Artifact(header: header, plan: plan, weights: weights))
        }
        #expect(try compile() == compile())
    }
}
