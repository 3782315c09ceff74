import RoostCore

/// ONNX `Resize` (opsets 13–19+): modes nearest, linear and cubic over any axes;
/// every `coordinate_transformation_mode` (tf_crop_and_resize with `roi` and
/// `extrapolation_value`), every `nearest_mode`, `cubic_coeff_a`,
/// `exclude_outside`, `antialias`, `axes` and `keep_aspect_ratio_policy`.
///
/// `scales` or `sizes` (and `roi` for tf_crop_and_resize) must be compile-time
/// constants: they fix the output shape, and Roost compiles static shapes.
/// Every axis becomes a table of input taps and weights (`ResizeSampler`). When
/// each output element reads one input element — nearest, or integer positions —
/// the Resize is a gather and runs on the shared `remap` kernel (so it folds and
/// fuses with other data movement); otherwise on the `resize` kernel.
public struct ResizeLowering: OperatorLowering {
    public let opType = "Resize"
    public init() {}

    /// The static facts of one Resize node.
    struct Problem: Sendable {
        var input: [Int]
        var output: [Int]
        var sampler: ResizeSampler
        var axes: [ResizeSampler.Axis]
        var extrapolationValue: Float

        init(_ node: Node, in graph: Graph) throws {
            guard node.outputs.count == 1, !node.outputs[0].isEmpty else { throw RoostError.invalidModel("\(node.label) must have one output") }
            let x = try graph.inputShape(0, of: node)
            let rank = x.count
            guard rank >= 1, x.allSatisfy({ $0 >= 1 }) else { throw RoostError.invalidModel("\(node.label): input shape \(x) cannot be resized") }
            sampler = try Self.sampler(node)
            let type = graph.type(of: node.inputs[0])
            if sampler.mode != .nearest, type.isInteger || type == .bool {
                throw RoostError.unsupported("\(node.label): \(sampler.mode.rawValue) interpolation of \(type.rawValue) data; Roost resizes integer tensors in nearest mode only")
            }
            extrapolationValue = node.float("extrapolation_value", default: 0)

            let resized = try (node.ints("axes") ?? Array(0..<rank)).map { try node.axis($0, rank: rank) }
            guard Set(resized).count == resized.count else { throw RoostError.invalidModel("\(node.label): axes \(resized) repeat an axis") }
            // Per model axis: its scale and output length (untouched axes keep both).
            var scales = [Double](repeating: 1, count: rank)
            var output = x
            let scalesGiven = try Self.scales(node, graph)
            let sizesGiven = graph.has(3, of: node) ? try graph.ints(3, of: node, "sizes") : nil
            switch (scalesGiven, sizesGiven) {
            case (let s?, nil):
                guard s.count == resized.count else {
                    throw RoostError.invalidModel("\(node.label): \(s.count) scales for \(resized.count) axes")
                }
                for (i, a) in resized.enumerated() {
                    guard s[i].isFinite, s[i] > 0 else { throw RoostError.invalidModel("\(node.label): scale \(s[i]) must be positive") }
                    scales[a] = Double(s[i])
                    output[a] = try Self.length(Double(s[i]) * Double(x[a]), node, axis: a)
                }
            case (nil, let sizes?):
                guard sizes.count == resized.count else {
                    throw RoostError.invalidModel("\(node.label): \(sizes.count) sizes for \(resized.count) axes")
                }
                for (i, a) in resized.enumerated() {
                    _ = try Self.length(Double(sizes[i]), node, axis: a)
                    scales[a] = Double(sizes[i]) / Double(x[a])
                }
                switch node.string("keep_aspect_ratio_policy", default: "stretch") {
                case "stretch":
                    for (i, a) in resized.enumerated() { output[a] = sizes[i] }
                case let policy where policy == "not_larger" || policy == "not_smaller":
                    // One scale for every resized axis, lengths rounded half up.
                    let picked = resized.map { scales[$0] }
                    let s = (policy == "not_larger" ? picked.min() : picked.max()) ?? 1
                    for a in resized {
                        scales[a] = s
                        output[a] = try Self.length((s * Double(x[a]) + 0.5).rounded(.down), node, axis: a)
                    }
                case let other:
                    throw RoostError.invalidModel("\(node.label): keep_aspect_ratio_policy '\(other)' is not stretch, not_larger or not_smaller")
                }
            case (_?, _?):
                throw RoostError.invalidModel("\(node.label) gives both scales and sizes; ONNX allows one")
            case (nil, nil):
                throw RoostError.invalidModel("\(node.label) gives neither scales nor sizes")
            }
            input = x
            self.output = try node.checkedShape(output)

            var roi = (0..<rank).map { _ in (start: Float(0), end: Float(1)) }
            if sampler.coordinates == .tfCropAndResize {
                guard graph.has(1, of: node) else { throw RoostError.invalidModel("\(node.label): tf_crop_and_resize needs the roi input") }
                let r = try graph.constant(1, of: node, "roi").data
                guard r.count == 2 * resized.count else {
                    throw RoostError.invalidModel("\(node.label): roi holds \(r.count) values for \(resized.count) axes (needs starts then ends)")
                }
                for (i, a) in resized.enumerated() { roi[a] = (r[i], r[i + resized.count]) }
            }
            axes = (0..<rank).map {
                ResizeSampler.Axis(input: x[$0], output: output[$0], scale: scales[$0], scaleIsFloat32: scalesGiven != nil,
                                   roiStart: roi[$0].start, roiEnd: roi[$0].end)
            }
        }

        /// The `scales` input, nil when omitted or empty (opset 11–12 style, with `sizes`).
        private static func scales(_ node: Node, _ graph: Graph) throws -> [Float]? {
            guard graph.has(2, of: node) else { return nil }
            let s = try graph.constant(2, of: node, "scales").data
            return s.isEmpty ? nil : s
        }

        /// A resized length, floored, which must be a positive size Roost can hold.
        private static func length(_ value: Double, _ node: Node, axis: Int) throws -> Int {
            let n = value.rounded(.down)
            guard n.isFinite, n <= Double(Node.maxElements) else {
                throw RoostError.invalidModel("\(node.label): axis \(axis) would have length \(value)")
            }
            guard n >= 1 else {
                if n < 0 { throw RoostError.invalidModel("\(node.label): axis \(axis) would have negative length \(Int(n))") }
                throw RoostError.unsupported("\(node.label): axis \(axis) would be resized to length 0; empty tensors are not supported")
            }
            return Int(n)
        }

        private static func sampler(_ node: Node) throws -> ResizeSampler {
            func pick<T: RawRepresentable & CaseIterable>(_ key: String, _ fallback: T) throws -> T where T.RawValue == String {
                let value = node.string(key, default: fallback.rawValue)
                guard let v = T(rawValue: value) else {
                    let known = T.allCases.map(\.rawValue).joined(separator: ", ")
                    throw RoostError.unsupported("\(node.label): \(key) '\(value)' is not supported (supported: \(known))")
                }
                return v
            }
            return ResizeSampler(
                mode: try pick("mode", ResizeSampler.Mode.nearest),
                coordinates: try pick("coordinate_transformation_mode", ResizeSampler.Coordinates.halfPixel),
                nearest: try pick("nearest_mode", ResizeSampler.NearestRounding.roundPreferFloor),
                cubicA: Double(node.float("cubic_coeff_a", default: -0.75)),
                excludeOutside: node.int("exclude_outside", default: 0) != 0,
                antialias: node.int("antialias", default: 0) != 0)
        }

        /// Every axis's taps, each checked against the table budget.
        func taps(_ node: Node) throws -> [ResizeTaps] {
            var total = 0
            return try axes.map { a in
                let t = try sampler.taps(for: a)
                total += t.indices.count
                guard total <= ResizeLowering.maxTableEntries else {
                    throw RoostError.unsupported("\(node.label): resizing \(input) to \(output) needs more than \(ResizeLowering.maxTableEntries) tap table entries")
                }
                return t
            }
        }
    }

    /// Largest total of per-axis tap entries a Resize may carry in its plan step.
    static let maxTableEntries = 1 << 24

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        [try Problem(node, in: graph).output]
    }

    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let p = try Problem(node, in: graph)
        let taps = try p.taps(node)
        let inputCount = p.input.reduce(1, *)
        if taps.allSatisfy(\.isGather) {
            let strides = IndexRemap.rowMajorStrides(p.input)
            let tables = taps.indices.map { d in taps[d].indices.map { $0 < 0 ? -1 : $0 * strides[d] } }
            let remap = IndexRemap(dims: p.output, tables: tables, padValue: p.extrapolationValue).collapsed()
            guard remap.maxOffset < inputCount else { throw RoostError.invalidModel("\(node.label) reads beyond its input") }
            return LoweredKernel(kernel: "remap", attributes: remap.attributes)
        }
        // Leading axes the resize leaves alone (batch, channels) become independent planes.
        let lead = taps.prefix { $0.isIdentity }.count
        let tables = ResizeTables(planes: p.input.prefix(lead).reduce(1, *), axes: Array(taps[lead...]), extrapolationValue: p.extrapolationValue)
        return LoweredKernel(kernel: "resize", attributes: tables.attributes)
    }
}
