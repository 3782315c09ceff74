import CRoostKernels
import Foundation
import Testing

/// Winograd F(2×2, 3×3) against a plain loop in Double: padding 0–2 on each side
/// (odd output sizes, so last tiles write one row or column), channel counts
/// that do not fill a GEMM panel, images split into several blocks of tile rows,
/// every epilogue term, every kernel family this CPU runs and 1 or 2 threads.
@Suite struct WinogradConvTests {
    struct Problem: CustomStringConvertible {
        var c: Int, h: Int, w: Int, m: Int
        var pt = 1, pl = 1, pb = 1, pr = 1
        var bias = false, residual = false, alpha: Float = 1
        var lo: Float = -.infinity, hi: Float = .infinity, leaky: Float? = nil
        /// The transcendental activation last (GELU, SiLU, sigmoid).
        var act = ROOST_ACT_NONE
        var oh: Int { h + pt + pb - 2 }
        var ow: Int { w + pl + pr - 2 }
        var description: String {
            "c\(c) \(h)×\(w) → m\(m) pads \(pt),\(pl),\(pb),\(pr) bias \(bias) res \(residual) α\(alpha) [\(lo),\(hi)] leaky \(leaky.map { "\($0)" } ?? "-") act \(act.rawValue)"
        }
    }

    static var families: [roost_isa] { PackedGemmTests.families }

    /// Runs the kernel; returns y.
    func run(_ p: Problem, x: [Float], weights: [Float], bias: [Float], residual: [Float], isa: roost_isa, threads: Int) -> [Float] {
        let pixels = p.oh * p.ow
        var packed = [Float](repeating: .nan, count: roost_winograd_weights_floats(p.m, p.c))
        roost_winograd_pack_weights(p.m, p.c, weights, &packed)
        var call = roost_winograd()
        (call.channels, call.m, call.h, call.w, call.pt, call.pl, call.oh, call.ow) = (p.c, p.m, p.h, p.w, p.pt, p.pl, p.oh, p.ow)
        var workspace = [Float](repeating: .nan, count: roost_winograd_workspace_floats(&call))
        var scratch = [Float](repeating: .nan, count: roost_gemm_scratch_per_thread() * threads)
        var y = [Float](repeating: .nan, count: p.m * pixels)
        let pool = threads > 1 ? roost_pool_create(Int32(threads)) : nil
        defer { if let pool { roost_pool_destroy(pool) } }
        x.withUnsafeBufferPointer { xp in packed.withUnsafeBufferPointer { up in bias.withUnsafeBufferPointer { bp in
            residual.withUnsafeBufferPointer { rp in y.withUnsafeMutableBufferPointer { yp in
                workspace.withUnsafeMutableBufferPointer { ws in scratch.withUnsafeMutableBufferPointer { gs in
                    call.x = xp.baseAddress
                    call.u_packed = up.baseAddress
                    call.y = yp.baseAddress
                    call.epilogue.alpha = p.alpha
                    call.epilogue.lo = p.lo
                    call.epilogue.hi = p.hi
                    if p.bias { call.epilogue.bias_m = bp.baseAddress }
                    if p.residual { call.epilogue.residual = rp.baseAddress; call.epilogue.ldr = pixels }
                    if let l = p.leaky { call.epilogue.leaky = 1; call.epilogue.leaky_alpha = l }
                    call.epilogue.act = Int32(p.act.rawValue)
                    roost_winograd_run(&call, isa, pool, ws.baseAddress, gs.baseAddress)
                } }
            } }
        } } }
        return y
    }

    func check(_ p: Problem, isa: roost_isa, threads: Int) {
        let pixels = p.oh * p.ow
        let x = PackedGemmTests.values(p.c * p.h * p.w, seed: 21), wt = PackedGemmTests.values(p.m * p.c * 9, seed: 22)
        let bias = PackedGemmTests.values(p.m, seed: 23), res = PackedGemmTests.values(p.m * pixels, seed: 24)
        let y = run(p, x: x, weights: wt, bias: bias, residual: res, isa: isa, threads: threads)
        var q = DirectConvTests.Problem(c: p.c, h: p.h, w: p.w, m: p.m, kh: 3, kw: 3, pt: p.pt, pl: p.pl, pb: p.pb, pr: p.pr)
        (q.bias, q.residual, q.alpha, q.lo, q.hi, q.leaky, q.act) = (p.bias, p.residual, p.alpha, p.lo, p.hi, p.leaky, p.act)
        let worst = DirectConvTests.worstError(q, x: x, weights: wt, bias: bias, residual: res, y: y)
        #expect(worst <= 1e-5, "isa \(isa.rawValue), \(threads) thread(s), \(p): worst relative error \(worst)")
    }

    @Test func paddingOddSizesAndBlocksMatchTheReference() {
        let problems = [
            Problem(c: 3, h: 4, w: 4, m: 5),                                   // one tile row, part-filled panels
            Problem(c: 7, h: 5, w: 7, m: 9),                                   // odd output: last tiles write one row/column
            Problem(c: 16, h: 17, w: 15, m: 33, pt: 0, pl: 0, pb: 0, pr: 0),   // no padding
            Problem(c: 8, h: 9, w: 10, m: 8, pt: 2, pl: 0, pb: 1, pr: 2),      // asymmetric padding
            Problem(c: 20, h: 3, w: 3, m: 24),
            Problem(c: 1, h: 1, w: 1, m: 1),                                   // the window is all padding but its centre
            Problem(c: 40, h: 35, w: 37, m: 70),                               // several blocks of tile rows, vector and tail tiles
        ]
        for isa in Self.families {
            for threads in [1, 2] {
                for p in problems { check(p, isa: isa, threads: threads) }
            }
        }
    }

    /// The packer writes every float of the packed weights (they are hashed into the
    /// artifact's address), the padding rows of the last panel as zeros.
    @Test func packedWeightsAreFullyWrittenWithZeroPadding() {
        for (m, c) in [(1, 1), (5, 3), (6, 4), (13, 7), (24, 16)] {
            let weights = PackedGemmTests.values(m * c * 9, seed: 31)
            var packed = [Float](repeating: .nan, count: roost_winograd_weights_floats(m, c))
            roost_winograd_pack_weights(m, c, weights, &packed)
            #expect(!packed.contains { $0.isNaN }, "m \(m), c \(c): a packed float was never written")
            let per = packed.count / 16, mr = Int(ROOST_GEMM_MR), rows = (m + mr - 1) / mr * mr
            for xi in 0..<16 {
                for ch in 0..<c {
                    for row in m..<rows {
                        #expect(packed[xi * per + (row / mr) * c * mr + ch * mr + row % mr] == 0)
                    }
                }
            }
        }
    }

    @Test func everyEpilogueTermMatchesTheReference() {
        let base = Problem(c: 6, h: 11, w: 34, m: 19)  // 17 tiles a row: two vectors of eight and a tail tile
        var terms: [Problem] = []
        var p = base; p.bias = true; p.lo = 0; terms.append(p)
        p = base; p.bias = true; p.residual = true; p.lo = 0; p.hi = 0.5; terms.append(p)
        p = base; p.alpha = 0.25; p.residual = true; p.leaky = 0.1; terms.append(p)
        for act in PackedGemmTests.transcendental { p = base; p.bias = true; p.residual = true; p.act = act; terms.append(p) }
        for isa in Self.families {
            for threads in [1, 2] {
                for p in terms { check(p, isa: isa, threads: threads) }
            }
        }
    }

    @Test func aNaNInTheImageReachesItsOutputsAndOnlyThose() {
        // The transforms add subsets of a patch's rows and columns, and each output's
        // subset is exactly its window's rows and columns: a NaN reaches the outputs
        // whose window holds it and no others (clamps keep NaN; padding never reads it).
        let p = Problem(c: 1, h: 8, w: 20, m: 2)
        var x = [Float](repeating: 1, count: p.h * p.w)
        x[3 * p.w + 9] = .nan
        let weights = [Float](repeating: 1, count: p.m * 9), zeros = [Float](repeating: 0, count: p.m * p.oh * p.ow)
        for isa in Self.families {
            let y = run(p, x: x, weights: weights, bias: zeros, residual: zeros, isa: isa, threads: 1)
            for q in 0..<(p.oh * p.ow) {
                let (oy, ox) = (q / p.ow, q % p.ow)
                let window = abs(oy - 3) <= 1 && abs(ox - 9) <= 1
                #expect(y[q].isNaN == window, "isa \(isa.rawValue) pixel \(oy),\(ox)")
            }
        }
    }
}
