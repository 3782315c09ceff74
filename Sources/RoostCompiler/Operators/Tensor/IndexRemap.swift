import RoostCore

/// Data movement as a gather over per-dimension offset tables: output element
/// `(i0, …, in)` reads input element `tables[0][i0] + … + tables[n][in]`, and an
/// entry of -1 marks padding (the element becomes `padValue`).
///
/// Transpose, Slice, Expand, Tile, Pad and Gather with constant indices are all
/// instances, so they share one runtime kernel (`remap`) and one compile-time
/// evaluation — the constant folder applies exactly the tables the kernel will.
public struct IndexRemap: Sendable, Equatable {
    public var dims: [Int]
    public var tables: [[Int]]
    public var padValue: Float

    public init(dims: [Int], tables: [[Int]], padValue: Float = 0) {
        self.dims = dims
        self.tables = tables
        self.padValue = padValue
    }

    /// Output dims where each one advances the input by a fixed (possibly negative)
    /// stride from a per-dim starting offset (Transpose, Slice, Expand).
    public static func strided(dims: [Int], strides: [Int], offsets: [Int]? = nil) -> IndexRemap {
        let starts = offsets ?? Array(repeating: 0, count: dims.count)
        let tables = dims.indices.map { d in (0..<dims[d]).map { starts[d] + $0 * strides[d] } }
        return IndexRemap(dims: dims, tables: tables).collapsed()
    }

    public var elementCount: Int { dims.reduce(1, *) }

    /// Row-major strides of a shape, in elements.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for d in Swift.stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = s
            s *= shape[d]
        }
        return strides
    }

    /// Drops unit dimensions and merges neighbours that step through the input
    /// contiguously, so the kernel runs long inner loops (often plain memcpy).
    public func collapsed() -> IndexRemap {
        guard !dims.contains(0) else { return IndexRemap(dims: [0], tables: [[]], padValue: padValue) }
        var constant = 0
        var ds: [Int] = []
        var ts: [[Int]] = []
        for (d, t) in zip(dims, tables) {
            if d == 1, t[0] >= 0 { constant += t[0]; continue }
            ds.append(d)
            ts.append(t)
        }
        var i = ds.count - 2
        while i >= 0 {
            // Tables are stored in the artifact, so a merge may not blow one up: a
            // broadcast of 1 element to 16384 x 16384 must stay two short tables.
            if ds[i] * ds[i + 1] <= Self.maxMergedTable,
               let outer = Self.stride(of: ts[i]), let inner = Self.stride(of: ts[i + 1]), outer == inner * ds[i + 1] {
                let start = ts[i][0] + ts[i + 1][0]
                let merged = ds[i] * ds[i + 1]
                ts[i] = (0..<merged).map { start + $0 * inner }
                ds[i] = merged
                ts.remove(at: i + 1)
                ds.remove(at: i + 1)
            }
            i -= 1
        }
        if ds.isEmpty { return IndexRemap(dims: [1], tables: [[constant]], padValue: padValue) }
        ts[0] = ts[0].map { $0 < 0 ? $0 : $0 + constant }
        return IndexRemap(dims: ds, tables: ts, padValue: padValue)
    }

    /// Past this length a merged table costs more artifact bytes than its longer inner loop saves.
    static let maxMergedTable = 1 << 16

    /// The constant step of an affine, padding-free table.
    private static func stride(of t: [Int]) -> Int? {
        guard t.count >= 2, !t.contains(where: { $0 < 0 }) else { return nil }
        let s = t[1] - t[0]
        for i in 1..<t.count where t[i] != t[0] + i * s { return nil }
        return s
    }

    /// Recovers a remap from an explicit map (output element p reads input element
    /// `map[p]`) when the map is affine in some mixed-radix digits of p, as every
    /// composition of transposes, reshapes, slices and constant gathers along whole
    /// blocks is. Digits are found greedily from the innermost (the longest run at a
    /// constant step that divides the element count), then the result is verified.
    public static func affine(_ map: [Int]) -> IndexRemap? {
        let n = map.count
        guard n > 0, map.allSatisfy({ $0 >= 0 }) else { return nil }
        var dims: [Int] = [], strides: [Int] = []
        var block = 1
        while block < n {
            let step = map[block] - map[0]
            var run = 1
            while block * (run + 1) <= n, map[block * run] == map[0] + run * step { run += 1 }
            // The digit's size must tile the remaining elements exactly.
            while run > 1, (n / block) % run != 0 { run -= 1 }
            guard run > 1 else { return nil }
            dims.insert(run, at: 0)
            strides.insert(step, at: 0)
            block *= run
        }
        if dims.isEmpty { dims = [1]; strides = [0] }
        // Tables must stay non-negative (-1 means padding): a digit walking backwards
        // starts at its far end, and the first digit's table absorbs the difference.
        var offsets = zip(dims, strides).map { $1 < 0 ? -($0 - 1) * $1 : 0 }
        offsets[0] = map[0] - offsets.dropFirst().reduce(0, +)
        let remap = IndexRemap.strided(dims: dims, strides: strides, offsets: offsets)
        // Verify every element (the greedy split can be fooled by coincidental runs).
        var index = [Int](repeating: 0, count: remap.dims.count)
        for p in 0..<n {
            var offset = 0
            for d in 0..<remap.dims.count { offset += remap.tables[d][index[d]] }
            guard offset == map[p] else { return nil }
            var d = remap.dims.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < remap.dims[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return remap
    }

    /// Whether the remap reads the whole input in order (a reshape in disguise).
    public func isIdentity(inputCount: Int) -> Bool {
        elementCount == inputCount && dims.count == 1 && tables[0].first == 0 && tables[0].enumerated().allSatisfy { $0.element == $0.offset }
    }

    /// Applies the remap to host data: the compile-time twin of the `remap` kernel.
    public func apply(_ x: [Float]) throws -> [Float] {
        let n = elementCount
        var y = [Float](repeating: padValue, count: n)
        guard n > 0 else { return y }
        var index = [Int](repeating: 0, count: dims.count)
        for o in 0..<n {
            var offset = 0
            var pad = false
            for d in 0..<dims.count {
                let t = tables[d][index[d]]
                if t < 0 { pad = true; break }
                offset += t
            }
            if !pad {
                guard offset < x.count else { throw RoostError.invalidModel("remap reads element \(offset) of a \(x.count)-element tensor") }
                y[o] = x[offset]
            }
            var d = dims.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < dims[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return y
    }

    /// The attributes the `remap` kernel reads.
    public var attributes: [String: PlanAttribute] {
        ["dims": .ints(dims), "offsets": .ints(tables.flatMap { $0 }), "padValue": .anyFloat(padValue)]
    }

    /// Largest input offset any element reads, for checking against the input's size.
    public var maxOffset: Int { tables.reduce(0) { $0 + ($1.max() ?? 0) } }
}

/// A lowering whose kernel is an `IndexRemap` of its first input.
public protocol RemapLowering: OperatorLowering {
    func remap(_ node: Node, in graph: Graph) throws -> IndexRemap
}

extension RemapLowering {
    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let r = try remap(node, in: graph)
        let inputCount = try graph.inputShape(0, of: node).reduce(1, *)
        guard r.elementCount == 0 || r.maxOffset < max(inputCount, 1) else {
            throw RoostError.invalidModel("\(node.label) reads beyond its input")
        }
        return LoweredKernel(kernel: "remap", attributes: r.attributes)
    }
}

/// A lowering whose output is its first input's data under a new shape
/// (Reshape, Squeeze, Unsqueeze, Identity): a `copy` at run time.
public protocol ViewLowering: OperatorLowering {}

extension ViewLowering {
    public func lower(_ node: Node, in graph: Graph) throws -> LoweredKernel {
        let out = try outputShapes(node, in: graph)[0].reduce(1, *)
        guard try graph.inputShape(0, of: node).reduce(1, *) == out else {
            throw RoostError.invalidModel("\(node.label): output element count differs from the input's")
        }
        return LoweredKernel(kernel: "copy")
    }
}
