/// Walks the rows of a `BroadcastLayout`, keeping every operand's element offset
/// up to date with an odometer instead of per-row division.
final class RowWalker {
    let rows: Int
    private let rank: Int
    private let operands: Int
    private let dims: KernelScratch<Int>
    private let strides: KernelScratch<Int>
    private let index: KernelScratch<Int>
    let offsets: KernelScratch<Int>

    init(_ layout: BroadcastLayout) {
        rank = layout.dims.count - 1
        operands = layout.strides.count
        rows = layout.rows
        dims = KernelScratch(Array(layout.dims.dropLast()))
        strides = KernelScratch(layout.strides.flatMap { $0.dropLast() })
        index = KernelScratch(repeating: 0, count: rank)
        offsets = KernelScratch(repeating: 0, count: operands)
    }

    /// Calls `body` once per row with the operands' offsets of that row's first element.
    @inline(__always)
    func walk(_ body: (UnsafeMutablePointer<Int>) -> Void) {
        let idx = index.pointer, off = offsets.pointer, dim = dims.pointer, st = strides.pointer
        idx.update(repeating: 0, count: rank)
        off.update(repeating: 0, count: operands)
        for _ in 0..<rows {
            body(off)
            var d = rank - 1
            while d >= 0 {
                idx[d] += 1
                if idx[d] < dim[d] {
                    for o in 0..<operands { off[o] += st[o * rank + d] }
                    break
                }
                for o in 0..<operands { off[o] -= st[o * rank + d] * (dim[d] - 1) }
                idx[d] = 0
                d -= 1
            }
        }
    }
}
