import RoostCore

/// ONNX `Pad` (opset ≥ 13: pads, constant_value and, from 18, axes as inputs) in
/// constant, reflect, edge and wrap modes. Negative pads crop. Every mode is an
/// index table per dim, so Pad runs on the shared `remap` kernel.
public struct PadLowering: RemapLowering {
    public let opType = "Pad"
    public init() {}

    public func outputShapes(_ node: Node, in graph: Graph) throws -> [[Int]] {
        let s = try graph.inputShape(0, of: node)
        let p = try pads(node, graph, rank: s.count)
        return [try node.checkedShape(try s.indices.map { d in
            let n = s[d] + p[d].before + p[d].after
            guard n >= 0 else { throw RoostError.invalidModel("\(node.label): pads crop dim \(d) below zero") }
            return n
        })]
    }

    public func remap(_ node: Node, in graph: Graph) throws -> IndexRemap {
        let s = try graph.inputShape(0, of: node)
        let p = try pads(node, graph, rank: s.count)
        let mode = node.string("mode", default: "constant")
        let strides = IndexRemap.rowMajorStrides(s)
        let out = try outputShapes(node, in: graph)[0]
        var tables: [[Int]] = []
        for d in s.indices {
            let n = s[d]
            if n == 0, mode != "constant", out[d] > 0 {
                throw RoostError.invalidModel("\(node.label): \(mode) padding of an empty dim")
            }
            tables.append(try (0..<out[d]).map { o -> Int in
                let i = o - p[d].before
                let source: Int
                switch mode {
                case "constant": source = (0..<n).contains(i) ? i : -1
                case "edge": source = min(max(i, 0), n - 1)
                case "wrap": source = ((i % n) + n) % n
                case "reflect":
                    if n == 1 { source = 0 } else {
                        let period = 2 * (n - 1)
                        let m = ((i % period) + period) % period
                        source = m < n ? m : period - m
                    }
                default: throw RoostError.unsupported("\(node.label): pad mode '\(mode)'")
                }
                return source < 0 ? -1 : source * strides[d]
            })
        }
        var value: Float = 0
        if graph.has(2, of: node) {
            let c = try graph.constant(2, of: node, "constant_value")
            guard let v = c.data.first, c.data.count == 1 else { throw RoostError.invalidModel("\(node.label): constant_value must be a scalar") }
            value = v
        }
        return IndexRemap(dims: out, tables: tables, padValue: value).collapsed()
    }

    private func pads(_ node: Node, _ graph: Graph, rank: Int) throws -> [(before: Int, after: Int)] {
        let raw = try graph.optionalInts(1, of: node, "pads") ?? node.ints("pads") ?? []
        let axes = try (graph.optionalInts(3, of: node, "axes") ?? Array(0..<rank)).map { try node.axis($0, rank: rank) }
        guard raw.allSatisfy({ abs($0) <= Node.maxElements }) else { throw RoostError.invalidModel("\(node.label): pads \(raw) are too large") }
        guard raw.count == 2 * axes.count else {
            throw RoostError.invalidModel("\(node.label): \(raw.count) pads for \(axes.count) axes")
        }
        var result = Array(repeating: (before: 0, after: 0), count: rank)
        for (i, a) in axes.enumerated() { result[a] = (raw[i], raw[i + axes.count]) }
        return result
    }
}
