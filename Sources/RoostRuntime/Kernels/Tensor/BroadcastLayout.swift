import RoostCore

/// The iteration space of a broadcasting elementwise kernel: the output's dims with
/// unit dims dropped and neighbours merged wherever every operand steps through
/// them alike, plus each operand's element stride per dim (0 where it broadcasts).
/// After collapsing, the innermost stride of every operand is 0 or 1.
struct BroadcastLayout {
    var dims: [Int]
    /// strides[operand][dim]; operand 0 is the output (row-major, never broadcast).
    var strides: [[Int]]

    init(output: [Int], operands: [[Int]], origin: String) throws {
        let rank = output.count
        var dims: [Int] = []
        var strides: [[Int]] = Array(repeating: [], count: operands.count + 1)
        let shapes = [output] + operands
        var padded: [[Int]] = []
        for s in shapes {
            guard s.count <= rank else { throw RoostError.invalidArtifact("\(origin): operand \(s) has more dims than the output \(output)") }
            let p = Array(repeating: 1, count: rank - s.count) + s
            for d in 0..<rank where p[d] != output[d] && p[d] != 1 {
                throw RoostError.invalidArtifact("\(origin): operand \(s) does not broadcast to \(output)")
            }
            padded.append(p)
        }
        let rowMajor = padded.map { p -> [Int] in
            var st = [Int](repeating: 1, count: rank)
            var acc = 1
            for d in stride(from: rank - 1, through: 0, by: -1) { st[d] = acc; acc *= p[d] }
            return st
        }
        for d in 0..<rank where output[d] != 1 {
            let ds = padded.indices.map { padded[$0][d] == 1 ? 0 : rowMajor[$0][d] }
            if let last = dims.last, ds.indices.allSatisfy({ strides[$0][dims.count - 1] == ds[$0] * output[d] }) {
                dims[dims.count - 1] = last * output[d]
                for o in ds.indices { strides[o][dims.count - 1] = ds[o] }
            } else {
                dims.append(output[d])
                for o in ds.indices { strides[o].append(ds[o]) }
            }
        }
        if dims.isEmpty {
            dims = [1]
            strides = strides.map { _ in [0] }
        }
        self.dims = dims
        self.strides = strides
    }

    var inner: Int { dims[dims.count - 1] }
    /// Number of inner rows (product of all but the last dim).
    var rows: Int { dims.dropLast().reduce(1, *) }
    func innerStride(_ operand: Int) -> Int { strides[operand][dims.count - 1] }
}
