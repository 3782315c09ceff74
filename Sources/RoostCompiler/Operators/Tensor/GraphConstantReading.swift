import RoostCore

extension Int {
    /// Integer tensors travel as float32, so ONNX's "infinite" sentinels (INT64_MAX
    /// slice ends, INT64_MIN for reversed slices) arrive as ±9.22e18, which `Int(_:)`
    /// would trap on. Saturating keeps their meaning: clamping then works as ONNX says.
    init(saturating value: Float) {
        if value.isNaN { self = 0 } else if value >= 9.2e18 { self = .max } else if value <= -9.2e18 { self = .min } else { self = Int(value) }
    }

    init(saturating value: Double) {
        if value.isNaN { self = 0 } else if value >= 9.2e18 { self = .max } else if value <= -9.2e18 { self = .min } else { self = Int(value) }
    }
}

extension Graph {
    /// The constant behind an operator's input, or an error saying the compiler
    /// needs it at compile time (shapes are static, so shape-like inputs must be known).
    func constant(_ input: Int, of node: Node, _ role: String) throws -> HostTensor {
        guard input < node.inputs.count, !node.inputs[input].isEmpty else {
            throw RoostError.invalidModel("\(node.label) lacks its \(role) input")
        }
        guard let c = constants[node.inputs[input]] else {
            throw RoostError.unsupported("\(node.label): its \(role) input '\(node.inputs[input])' must be a compile-time constant (Roost compiles static shapes)")
        }
        return c
    }

    /// An optional integer-list input (e.g. `axes`), nil when omitted.
    func optionalInts(_ input: Int, of node: Node, _ role: String) throws -> [Int]? {
        guard input < node.inputs.count, !node.inputs[input].isEmpty else { return nil }
        return try constant(input, of: node, role).data.map { Int(saturating: $0) }
    }

    func ints(_ input: Int, of node: Node, _ role: String) throws -> [Int] {
        try constant(input, of: node, role).data.map { Int(saturating: $0) }
    }

    /// Whether the optional input slot is present.
    func has(_ input: Int, of node: Node) -> Bool { input < node.inputs.count && !node.inputs[input].isEmpty }

    func inputShape(_ input: Int, of node: Node) throws -> [Int] {
        guard has(input, of: node) else { throw RoostError.invalidModel("\(node.label) lacks input \(input)") }
        return try shape(of: node.inputs[input])
    }
}

extension Node {
    /// Normalizes a possibly negative axis against `rank`, naming the node on error.
    func axis(_ axis: Int, rank: Int, allowEnd: Bool = false) throws -> Int {
        let a = axis < 0 ? axis + rank + (allowEnd ? 1 : 0) : axis
        guard a >= 0, a < rank + (allowEnd ? 1 : 0) else {
            throw RoostError.invalidModel("\(label): axis \(axis) is out of range for rank \(rank)")
        }
        return a
    }

    func string(_ key: String, default d: String) -> String { attributes[key]?.string ?? d }

    /// Checks a shape computed from model data (Reshape targets, Expand, Tile, Pad,
    /// ConstantOfShape): non-negative dims whose product neither overflows nor
    /// exceeds what a float32 arena can hold.
    func checkedShape(_ shape: [Int]) throws -> [Int] {
        var total = 1
        for d in shape {
            guard d >= 0 else { throw RoostError.invalidModel("\(label): negative dimension in \(shape)") }
            let (p, overflow) = total.multipliedReportingOverflow(by: d)
            guard !overflow, p <= Self.maxElements else { throw RoostError.invalidModel("\(label): shape \(shape) is too large") }
            total = p
        }
        return shape
    }

    /// The largest tensor Roost plans (2^32 elements, 16 GiB of float32).
    static let maxElements = 1 << 32
}
