import RoostCore

/// Runs a lowered kernel on host tensors: the reference interpreter behind
/// constant folding. It interprets the *kernel* a node lowers to (not the ONNX
/// op), so folding inherits every decision the lowering made — integer division,
/// Slice clamping, Gather index checks — and the remap tables the runtime will use.
///
/// Compute-heavy kernels (matmul, gemm, softmax, layernorm, conv…) return nil:
/// nodes using them stay in the graph and run once per inference.
enum KernelInterpreter {
    static func run(_ kernel: LoweredKernel, inputs: [HostTensor?], outputShapes: [[Int]]) throws -> [[Float]]? {
        let a = kernel.attributes
        let count = outputShapes.first?.reduce(1, *) ?? 0
        func input(_ i: Int) throws -> HostTensor {
            guard i < inputs.count, let t = inputs[i] else { throw RoostError.invalidModel("kernel \(kernel.kernel) lacks input \(i)") }
            return t
        }
        func broadcast(_ t: HostTensor, to shape: [Int]) throws -> [Float] {
            t.shape == shape ? t.data : try IndexRemap.broadcast(t.shape, to: shape).apply(t.data)
        }
        let shape = outputShapes.first ?? []
        switch kernel.kernel {
        case "copy":
            return [try input(0).data]
        case "constant":
            guard case .floats(let values)? = a["values"], values.count == count else { return nil }
            return [values]
        case "fill":
            return [Array(repeating: a["value"]?.anyFloatValue ?? 0, count: count)]
        case "range":
            let start = Double(a["start"]?.float ?? 0), delta = Double(a["delta"]?.float ?? 1)
            return [(0..<count).map { Float(start + Double($0) * delta) }]
        case "remap":
            guard let dims = a["dims"]?.ints, let offsets = a["offsets"]?.ints, offsets.count == dims.reduce(0, +) else { return nil }
            var tables: [[Int]] = []
            var at = 0
            for d in dims { tables.append(Array(offsets[at..<(at + d)])); at += d }
            return [try IndexRemap(dims: dims, tables: tables, padValue: a["padValue"]?.anyFloatValue ?? 0).apply(try input(0).data)]
        case "resize":
            guard let tables = ResizeTables(attributes: a), tables.outputCount == count else { return nil }
            return [try tables.apply(try input(0).data)]
        case "unary", "relu":
            let op = kernel.kernel == "relu" ? "relu" : a["op"]?.string ?? ""
            guard let f = ElementwiseMath.unary(op, alpha: Double(a["alpha"]?.float ?? 0), beta: Double(a["beta"]?.float ?? 0)) else { return nil }
            return [try input(0).data.map { Float(f(Double($0))) }]
        case "clip":
            let lo = a["min"]?.anyFloatValue ?? (inputs.count > 1 ? inputs[1]?.data.first : nil) ?? -.infinity
            let hi = a["max"]?.anyFloatValue ?? (inputs.count > 2 ? inputs[2]?.data.first : nil) ?? .infinity
            return [try input(0).data.map { min(max($0, lo), hi) }]
        case "binary":
            guard let f = ElementwiseMath.binary(a["op"]?.string ?? "") else { return nil }
            let x = try broadcast(try input(0), to: shape), y = try broadcast(try input(1), to: shape)
            return [(0..<count).map { Float(f(Double(x[$0]), Double(y[$0]))) }]
        case "where":
            let c = try broadcast(try input(0), to: shape), x = try broadcast(try input(1), to: shape), y = try broadcast(try input(2), to: shape)
            return [(0..<count).map { c[$0] != 0 ? x[$0] : y[$0] }]
        case "concat":
            guard let axis = a["axis"]?.int else { return nil }
            let parts = inputs.compactMap { $0 }
            let outer = shape.prefix(axis).reduce(1, *)
            var out: [Float] = []
            out.reserveCapacity(count)
            for o in 0..<outer {
                for p in parts {
                    let chunk = p.shape.dropFirst(axis).reduce(1, *)
                    out.append(contentsOf: p.data[(o * chunk)..<((o + 1) * chunk)])
                }
            }
            return [out]
        case "split":
            guard let axis = a["axis"]?.int else { return nil }
            let x = try input(0)
            let outer = x.shape.prefix(axis).reduce(1, *), total = x.shape.dropFirst(axis).reduce(1, *)
            var outs = outputShapes.map { _ in [Float]() }
            for o in 0..<outer {
                var at = o * total
                for (i, s) in outputShapes.enumerated() {
                    let chunk = s.dropFirst(axis).reduce(1, *)
                    outs[i].append(contentsOf: x.data[at..<(at + chunk)])
                    at += chunk
                }
            }
            return outs
        case "reduce":
            guard let axes = a["axes"]?.ints, let op = a["op"]?.string, count < 1 << 24 else { return nil }
            return [try reduce(try input(0), axes: axes, op: op, count: count)]
        default:
            return nil
        }
    }

    private static func reduce(_ x: HostTensor, axes: [Int], op: String, count: Int) throws -> [Float] {
        let kept = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let remap = IndexRemap.broadcast(kept, to: x.shape)
        // For each input element, the output element it folds into.
        let targets = try remap.apply((0..<count).map(Float.init)).map { Int($0) }
        let initial: Double = switch op {
        case "max": -.infinity
        case "min": .infinity
        case "prod": 1
        default: 0
        }
        var acc = [Double](repeating: initial, count: count)
        for (i, v) in x.data.enumerated() {
            let t = targets[i], d = Double(v)
            switch op {
            case "max": acc[t] = max(acc[t], d)
            case "min": acc[t] = min(acc[t], d)
            case "prod": acc[t] *= d
            default: acc[t] += d
            }
        }
        if op == "mean", count > 0 {
            let n = Double(x.elementCount / count)
            acc = acc.map { $0 / n }
        }
        return acc.map { Float($0) }
    }
}
