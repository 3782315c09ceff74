import CRoostKernels
import Foundation
import Testing

/// Roost's packed GEMM against a plain triple loop in Double: odd sizes, tails in
/// every dimension, K across block boundaries, plain and pre-packed operands,
/// transposes, every epilogue term, every kernel family this CPU runs (portable,
/// AVX2, AVX-512) and 1 or 2 threads.
@Suite struct PackedGemmTests {
    struct Problem: CustomStringConvertible {
        var m: Int, n: Int, k: Int
        var aTrans = false, bTrans = false, aPacked = false, bPacked = false
        var alpha: Float = 1
        var biasM = false, biasN = false, residual = false
        var lo: Float = -.infinity, hi: Float = .infinity
        var leaky: Float? = nil
        /// The transcendental activation last (GELU, SiLU, sigmoid).
        var act = ROOST_ACT_NONE
        var description: String {
            "m\(m) n\(n) k\(k) tA\(aTrans) tB\(bTrans) pA\(aPacked) pB\(bPacked) α\(alpha) bm\(biasM) bn\(biasN) r\(residual) [\(lo),\(hi)] leaky \(leaky.map { "\($0)" } ?? "-") act \(act.rawValue)"
        }
    }

    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var s = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: s >> 11) % 2_000_000) / 1_000_000 - 1
        }
    }

    static var families: [roost_isa] {
        [ROOST_ISA_PORTABLE, ROOST_ISA_AVX2, ROOST_ISA_AVX512].filter { roost_isa_supported($0) != 0 }
    }

    /// Runs one problem and checks every element against the reference within
    /// 1e-5 of the magnitude the sum passed through (Σ|a·b| plus the added terms).
    func check(_ p: Problem, isa: roost_isa, threads: Int) {
        let a = Self.values(p.m * p.k, seed: 1), b = Self.values(p.k * p.n, seed: 2)
        let bm = Self.values(p.m, seed: 3), bn = Self.values(p.n, seed: 4), res = Self.values(p.m * p.n, seed: 5)
        // Stored layouts: A[M,K] or A^T[K,M]; B[K,N] or B^T[N,K].
        func aAt(_ i: Int, _ k: Int) -> Float { p.aTrans ? a[k * p.m + i] : a[i * p.k + k] }
        func bAt(_ k: Int, _ j: Int) -> Float { p.bTrans ? b[j * p.k + k] : b[k * p.n + j] }
        var aPack = [Float](repeating: .nan, count: roost_packed_a_floats(p.m, p.k))
        var bPack = [Float](repeating: .nan, count: roost_packed_b_floats(p.k, p.n))
        roost_pack_a(p.m, p.k, a, p.aTrans ? p.m : p.k, p.aTrans ? 1 : 0, &aPack)
        roost_pack_b(p.k, p.n, b, p.bTrans ? p.k : p.n, p.bTrans ? 1 : 0, &bPack)
        #expect(!aPack.contains { $0.isNaN } && !bPack.contains { $0.isNaN }, "packing left holes: \(p)")

        var c = [Float](repeating: .nan, count: p.m * p.n)
        let pool = threads > 1 ? roost_pool_create(Int32(threads)) : nil
        defer { if let pool { roost_pool_destroy(pool) } }
        var scratch = [Float](repeating: 0, count: roost_gemm_scratch_per_thread() * threads)
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in aPack.withUnsafeBufferPointer { apk in
            bPack.withUnsafeBufferPointer { bpk in bm.withUnsafeBufferPointer { bmp in bn.withUnsafeBufferPointer { bnp in
                res.withUnsafeBufferPointer { rp in c.withUnsafeMutableBufferPointer { cp in scratch.withUnsafeMutableBufferPointer { sp in
                    var g = roost_gemm()
                    g.m = p.m; g.n = p.n; g.k = p.k
                    g.a = ap.baseAddress; g.lda = p.aTrans ? p.m : p.k; g.a_trans = p.aTrans ? 1 : 0
                    g.b = bp.baseAddress; g.ldb = p.bTrans ? p.k : p.n; g.b_trans = p.bTrans ? 1 : 0
                    if p.aPacked { g.a_packed = apk.baseAddress }
                    if p.bPacked { g.b_packed = bpk.baseAddress }
                    g.c = cp.baseAddress; g.ldc = p.n
                    g.epilogue.alpha = p.alpha
                    g.epilogue.lo = p.lo; g.epilogue.hi = p.hi
                    if p.biasM { g.epilogue.bias_m = bmp.baseAddress }
                    if p.biasN { g.epilogue.bias_n = bnp.baseAddress }
                    if p.residual { g.epilogue.residual = rp.baseAddress; g.epilogue.ldr = p.n }
                    if let l = p.leaky { g.epilogue.leaky = 1; g.epilogue.leaky_alpha = l }
                    g.epilogue.act = Int32(p.act.rawValue)
                    roost_gemm_run(&g, isa, pool, sp.baseAddress)
                } } }
            } } }
        } } }

        var worst = 0.0
        for i in 0..<p.m {
            for j in 0..<p.n {
                var s = 0.0, magnitude = 0.0
                for k in 0..<p.k {
                    let t = Double(aAt(i, k)) * Double(bAt(k, j))
                    s += t
                    magnitude += abs(t)
                }
                s *= Double(p.alpha)
                magnitude *= Double(abs(p.alpha))
                if p.biasM { s += Double(bm[i]); magnitude += abs(Double(bm[i])) }
                if p.biasN { s += Double(bn[j]); magnitude += abs(Double(bn[j])) }
                if p.residual { s += Double(res[i * p.n + j]); magnitude += abs(Double(res[i * p.n + j])) }
                s = min(max(s, Double(p.lo)), Double(p.hi))
                if let l = p.leaky, s < 0 { s *= Double(l) }
                s = Self.activation(p.act, s)
                let err = abs(Double(c[i * p.n + j]) - s) / max(magnitude, 1)
                worst = max(worst, err.isNaN ? .infinity : err)
            }
        }
        #expect(worst <= 1e-5, "isa \(isa.rawValue), \(threads) thread(s), \(p): worst relative error \(worst)")
    }

    /// The reference of each roost_act, in Double.
    static func activation(_ act: roost_act, _ s: Double) -> Double {
        switch act {
        case ROOST_ACT_GELU: 0.5 * s * (1 + erf(s / 2.0.squareRoot()))
        case ROOST_ACT_SILU: s / (1 + exp(-s))
        case ROOST_ACT_SIGMOID: 1 / (1 + exp(-s))
        default: s
        }
    }

    static let transcendental = [ROOST_ACT_GELU, ROOST_ACT_SILU, ROOST_ACT_SIGMOID]

    @Test func oddSizesAndTailsMatchTheReference() {
        for isa in Self.families {
            for threads in [1, 2] {
                for (m, n, k) in [(1, 1, 1), (1, 17, 300), (2, 15, 3), (3, 16, 7), (4, 31, 40), (5, 16, 257), (6, 33, 256), (7, 40, 255), (9, 17, 33), (10, 18, 260), (13, 5, 64), (32, 40, 300), (61, 270, 70), (128, 300, 513)] {
                    check(Problem(m: m, n: n, k: k), isa: isa, threads: threads)
                    check(Problem(m: m, n: n, k: k, aPacked: true), isa: isa, threads: threads)
                    check(Problem(m: m, n: n, k: k, bPacked: true), isa: isa, threads: threads)
                }
            }
        }
    }

    /// The 6×32 AVX-512 tile's own cases, so a run on a CPU without AVX-512 says it
    /// skipped them: two-panel and one-panel tiles, 1–6 rows, part-filled lane masks,
    /// several K blocks, the epilogue on both halves.
    @Test(.enabled(if: roost_isa_supported(ROOST_ISA_AVX512) != 0, "this CPU has no AVX-512F: the AVX-512 GEMM tile is not exercised"))
    func theAVX512TileMatchesTheReference() {
        for (m, n, k) in [(1, 32, 5), (2, 31, 17), (4, 48, 300), (5, 16, 1), (6, 33, 256), (6, 64, 513), (11, 47, 70), (12, 80, 9)] {
            for threads in [1, 2] {
                check(Problem(m: m, n: n, k: k), isa: ROOST_ISA_AVX512, threads: threads)
                check(Problem(m: m, n: n, k: k, aPacked: true, biasM: true, residual: true, lo: 0, hi: 6), isa: ROOST_ISA_AVX512, threads: threads)
                check(Problem(m: m, n: n, k: k, bPacked: true, alpha: 0.5, biasN: true, leaky: 0.2), isa: ROOST_ISA_AVX512, threads: threads)
                for act in Self.transcendental { check(Problem(m: m, n: n, k: k, bTrans: true, act: act), isa: ROOST_ISA_AVX512, threads: threads) }
            }
        }
    }

    /// The AVX2 tile reading plain A rows in place (no packed A): every row count of
    /// a last panel (1–6, each tile form, rows past M never read), part-filled
    /// columns (the half-panel tile for 8 or fewer: 7, 8 and 24 = 16 + 8), K across
    /// blocks, every epilogue term; and the same with A packed.
    @Test(.enabled(if: roost_isa_supported(ROOST_ISA_AVX2) != 0, "this CPU has no AVX2 + FMA: the AVX2 GEMM tile is not exercised"))
    func theAVX2PlainRowsTileMatchesTheReference() {
        for m in 1...13 {
            for (n, k) in [(16, 5), (23, 300), (40, 513), (24, 300), (8, 7)] {
                for threads in [1, 2] {
                    check(Problem(m: m, n: n, k: k), isa: ROOST_ISA_AVX2, threads: threads)
                    check(Problem(m: m, n: n, k: k, bPacked: true, biasM: true, residual: true, lo: 0, hi: 6), isa: ROOST_ISA_AVX2, threads: threads)
                    check(Problem(m: m, n: n, k: k, bPacked: true, alpha: 0.5, biasN: true, leaky: 0.2), isa: ROOST_ISA_AVX2, threads: threads)
                    for act in Self.transcendental { check(Problem(m: m, n: n, k: k, bTrans: true, act: act), isa: ROOST_ISA_AVX2, threads: threads) }
                    check(Problem(m: m, n: n, k: k, aPacked: true, bPacked: true, biasN: true, residual: true, hi: 0.5), isa: ROOST_ISA_AVX2, threads: threads)
                }
            }
        }
    }

    /// Plain A rows with K past one block: over weights packed ahead of time the
    /// whole K is one block; over B packed as the product runs, each K block
    /// accumulates onto C. Both with the straight-line and the general epilogue rows.
    @Test(.enabled(if: roost_isa_supported(ROOST_ISA_AVX2) != 0, "this CPU has no AVX2 + FMA: the AVX2 GEMM tile is not exercised"))
    func theAVX2TileOverOneOrManyKBlocksMatchesTheReference() {
        for bPacked in [true, false] {
            for threads in [1, 2] {
                check(Problem(m: 200, n: 40, k: 600, bPacked: bPacked, alpha: 0.5, biasN: true, residual: true, lo: 0, hi: 6), isa: ROOST_ISA_AVX2, threads: threads)
                check(Problem(m: 97, n: 24, k: 300, bPacked: bPacked, biasN: true), isa: ROOST_ISA_AVX2, threads: threads)
                check(Problem(m: 97, n: 40, k: 300, bPacked: bPacked, biasM: true, leaky: 0.2), isa: ROOST_ISA_AVX2, threads: threads)
            }
        }
    }

    /// The GEMV (one row on pre-packed B): four panels at a time, then single
    /// panels and a part-filled last one, each thread's share of N, every epilogue term.
    @Test func theGEMVMatchesTheReferenceOverEveryPanelCount() {
        for isa in Self.families {
            for threads in [1, 2] {
                for n in [15, 16, 48, 64, 65, 79, 100, 129, 1000] {
                    for k in [1, 7, 300] {
                        check(Problem(m: 1, n: n, k: k, bPacked: true), isa: isa, threads: threads)
                        check(Problem(m: 1, n: n, k: k, bPacked: true, alpha: 0.5, biasN: true, residual: true, lo: 0, hi: 6), isa: isa, threads: threads)
                        check(Problem(m: 1, n: n, k: k, bTrans: true, bPacked: true, leaky: 0.2), isa: isa, threads: threads)
                        for act in Self.transcendental { check(Problem(m: 1, n: n, k: k, bPacked: true, biasN: true, act: act), isa: isa, threads: threads) }
                    }
                }
            }
        }
    }

    @Test func transposedOperandsMatchTheReference() {
        for isa in Self.families {
            for (m, n, k) in [(1, 20, 33), (7, 19, 300), (64, 48, 17)] {
                check(Problem(m: m, n: n, k: k, aTrans: true), isa: isa, threads: 2)
                check(Problem(m: m, n: n, k: k, bTrans: true), isa: isa, threads: 2)
                check(Problem(m: m, n: n, k: k, aTrans: true, bTrans: true, bPacked: true), isa: isa, threads: 1)
            }
        }
    }

    @Test func everyEpilogueTermMatchesTheReference() {
        for isa in Self.families {
            for (m, n, k) in [(1, 10, 784), (9, 23, 260), (20, 64, 9)] {
                check(Problem(m: m, n: n, k: k, bPacked: true, alpha: 0.125, biasN: true), isa: isa, threads: 2)
                check(Problem(m: m, n: n, k: k, aPacked: true, biasM: true, residual: true, lo: 0), isa: isa, threads: 2)
                check(Problem(m: m, n: n, k: k, biasN: true, lo: 0, hi: 0.5), isa: isa, threads: 1)
                check(Problem(m: m, n: n, k: k, bPacked: true, residual: true, leaky: 0.1), isa: isa, threads: 1)
                for act in Self.transcendental { check(Problem(m: m, n: n, k: k, bPacked: true, biasN: true, act: act), isa: isa, threads: 2) }
            }
        }
    }

    @Test func anEmptySumIsTheEpilogueOfZero() {
        var c = [Float](repeating: .nan, count: 6)
        let bias: [Float] = [1, -2, 3]
        bias.withUnsafeBufferPointer { bp in
            c.withUnsafeMutableBufferPointer { cp in
                var g = roost_gemm()
                g.m = 2; g.n = 3; g.k = 0; g.c = cp.baseAddress; g.ldc = 3
                g.epilogue.alpha = 1; g.epilogue.lo = 0; g.epilogue.hi = .infinity; g.epilogue.bias_n = bp.baseAddress
                roost_gemm_run(&g, ROOST_ISA_PORTABLE, nil, nil)
            }
        }
        #expect(c == [1, 0, 3, 1, 0, 3])
    }

    @Test func nanSurvivesTheIdentityAndClampEpilogues() {
        for isa in Self.families {
            var b: [Float] = [1, .nan] + [Float](repeating: 1, count: 14)
            var c = [Float](repeating: 0, count: 16)
            let a: [Float] = [2]
            var scratch = [Float](repeating: 0, count: roost_gemm_scratch_per_thread())
            a.withUnsafeBufferPointer { ap in b.withUnsafeMutableBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    var g = roost_gemm()
                    g.m = 1; g.n = 16; g.k = 1; g.a = ap.baseAddress; g.lda = 1; g.b = UnsafePointer(bp.baseAddress); g.ldb = 16
                    g.c = cp.baseAddress; g.ldc = 16
                    g.epilogue.alpha = 1; g.epilogue.lo = 0; g.epilogue.hi = .infinity
                    roost_gemm_run(&g, isa, nil, sp.baseAddress)
                }
            } } }
            #expect(c[0] == 2 && c[1].isNaN, "isa \(isa.rawValue): \(c[0]), \(c[1])")
        }
    }

    @Test func thePoolRunsEveryTaskOnceOnStableThreads() {
        let pool = roost_pool_create(2)!
        defer { roost_pool_destroy(pool) }
        #expect(roost_pool_threads(pool) == 2)
        // Slot t counts runs of task t; slot 8 + t records a thread index out of range.
        let slots = UnsafeMutablePointer<Int>.allocate(capacity: 16)
        slots.initialize(repeating: 0, count: 16)
        defer { slots.deallocate() }
        for round in 0..<500 {
            roost_pool_run(pool, Int32(round % 7 + 1), { context, task, thread in
                let slots = context!.assumingMemoryBound(to: Int.self)
                slots[Int(task)] += 1
                if thread != 0 && thread != 1 { slots[8 + Int(task)] += 1 }
            }, slots)
        }
        for t in 0..<7 {
            let expected = (0..<500).filter { $0 % 7 + 1 > t }.count
            #expect(slots[t] == expected, "task \(t) ran \(slots[t]) times, expected \(expected)")
            #expect(slots[8 + t] == 0)
        }
    }
}
