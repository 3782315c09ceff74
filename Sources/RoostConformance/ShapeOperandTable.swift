/// The operand positions where an ONNX operator reads a *shape-like* value: a
/// target shape, axes, slice bounds, pads, repeats, split sizes, resize scales and
/// sizes, range bounds, a k. Roost compiles static shapes, so it needs these as
/// compile-time constants; the backend node tests often feed them as graph inputs.
///
/// The conformance runner binds a graph input as a constant only when every use
/// of it is listed here (see `ShapeInputBinding`), so an input that also feeds
/// data (an operand whose values flow into an output) is never bound. Positions
/// are ONNX input indices, for the default domain, as of opset 13–25.
public enum ShapeOperandTable {
    /// Operator type → the input indices that are shape-like.
    public static let positions: [String: Set<Int>] = {
        var table: [String: Set<Int>] = [
            "Reshape": [1],          // shape
            "Expand": [1],           // shape
            "Tile": [1],             // repeats
            "Slice": [1, 2, 3, 4],   // starts, ends, axes, steps
            "Pad": [1, 2, 3],        // pads, constant_value, axes
            "Split": [1],            // split
            "Squeeze": [1],          // axes
            "Unsqueeze": [1],        // axes
            "ConstantOfShape": [0],  // shape
            "Range": [0, 1, 2],      // start, limit, delta
            "Resize": [1, 2, 3],     // roi, scales, sizes
            "TopK": [1],             // k
        ]
        for reduce in ["ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                       "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"] {
            table[reduce] = [1]      // axes
        }
        return table
    }()

    /// Whether input `index` of an `opType` node (ONNX domain) is shape-like.
    public static func isShapeOperand(opType: String, domain: String = "", index: Int) -> Bool {
        guard domain.isEmpty || domain == "ai.onnx" else { return false }
        return positions[opType]?.contains(index) ?? false
    }
}
