import RoostCore

/// ONNX `Slice` (opset ≥ 10: starts/ends/axes/steps inputs) with ONNX's clamping:
/// negative indices count from the end, out-of-range ends (INT64_MAX, INT64_MIN)
/// clamp to the dim, negative steps walk backwards.
public struct SliceLowering: RemapLowering {
    public let opType = "Slice"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] { [try ranges(node, graph).map(\.count)] }

    public func remap(_ node: Node, in graph: Graph) throws -> IndexRemap {
        let s = try graph.inputShape(0, of: node)
        let r = try ranges(node, graph)
        let strides = IndexRemap.rowMajorStrides(s)
        return .strided(dims: r.map(\.count), strides: zip(r, strides).map { $0.step * $1 }, offsets: zip(r, strides).map { $0.start * $1 })
    }

    /// Per input axis: first index, step and element count.
    func ranges(_ node: Node, _ graph: Graph) throws -> [(start: Int, step: Int, count: Int)] {
        let s = try graph.inputShape(0, of: node)
        let starts = try graph.ints(1, of: node, "starts"), ends = try graph.ints(2, of: node, "ends")
        let axes = try graph.optionalInts(3, of: node, "axes") ?? Array(0..<starts.count)
        let steps = try graph.optionalInts(4, of: node, "steps") ?? Array(repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw RoostError.invalidModel("\(node.label): starts, ends, axes and steps differ in length")
        }
        var result = s.map { (start: 0, step: 1, count: $0) }
        var seen = Set<Int>()
        for i in starts.indices {
            let axis = try node.axis(axes[i], rank: s.count)
            guard seen.insert(axis).inserted else { throw RoostError.invalidModel("\(node.label): axis \(axes[i]) repeated") }
            // Steps beyond any dim act alike; clamping keeps -step from overflowing.
            let d = s[axis], step = min(max(steps[i], -(1 << 62)), 1 << 62)
            guard step != 0 else { throw RoostError.invalidModel("\(node.label): step 0") }
            var start = starts[i], end = ends[i]
            if start < 0 { start += d }
            if end < 0 { end += d }
            let count: Int
            if step > 0 {
                start = min(max(start, 0), d)
                end = min(max(end, 0), d)
                count = end > start ? 1 + (end - start - 1) / step : 0
            } else {
                start = min(max(start, 0), d - 1)
                end = min(max(end, -1), d - 1)
                count = start > end ? 1 + (start - end - 1) / -step : 0
            }
            // With at most one element the step is never taken (and may be huge).
            result[axis] = (start, count > 1 ? step : 1, count)
        }
        return result
    }
}
