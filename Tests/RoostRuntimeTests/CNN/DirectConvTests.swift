import CRoostKernels
import Foundation
import Testing

/// Roost's direct convolution against a plain loop in Double: windows, strides,
/// dilations, padding on every side (and a window inside the image, read in
/// place), output channels that do not fill a panel, pixel counts that do not
/// fill a tile, every epilogue term, every kernel family this CPU runs and 1 or 2 threads.
@Suite struct DirectConvTests {
    struct Problem: CustomStringConvertible {
        var c: Int, h: Int, w: Int, m: Int
        var kh: Int, kw: Int
        var sh = 1, sw = 1, dh = 1, dw = 1
        var pt = 0, pl = 0, pb = 0, pr = 0
        var bias = false, residual = false, alpha: Float = 1
        var lo: Float = -.infinity, hi: Float = .infinity, leaky: Float? = nil
        /// The transcendental activation last (GELU, SiLU, sigmoid).
        var act = ROOST_ACT_NONE
        /// Channels-last output and residual ([pixels, m]).
        var nhwc = false
        var oh: Int { (h + pt + pb - ((kh - 1) * dh + 1)) / sh + 1 }
        var ow: Int { (w + pl + pr - ((kw - 1) * dw + 1)) / sw + 1 }
        var description: String {
            "c\(c) \(h)×\(w) → m\(m) k\(kh)×\(kw) s\(sh),\(sw) d\(dh),\(dw) pads \(pt),\(pl),\(pb),\(pr) bias \(bias) res \(residual) α\(alpha) [\(lo),\(hi)] leaky \(leaky.map { "\($0)" } ?? "-")\(nhwc ? " nhwc" : "")"
        }
    }

    static var families: [roost_isa] { PackedGemmTests.families }

    func check(_ p: Problem, isa: roost_isa, threads: Int) {
        let k = p.c * p.kh * p.kw, pixels = p.oh * p.ow
        let x = PackedGemmTests.values(p.c * p.h * p.w, seed: 11), wt = PackedGemmTests.values(p.m * k, seed: 12)
        let bias = PackedGemmTests.values(p.m, seed: 13), res = PackedGemmTests.values(p.m * pixels, seed: 14)
        var packed = [Float](repeating: .nan, count: roost_packed_b_floats(k, p.m))
        roost_pack_b(k, p.m, wt, k, 1, &packed)
        var geo = roost_im2col(channels: p.c, h: p.h, w: p.w, kh: p.kh, kw: p.kw, sh: p.sh, sw: p.sw, pt: p.pt, pl: p.pl,
                               dh: p.dh, dw: p.dw, oh: p.oh, ow: p.ow)
        var workspace = [Float](repeating: .nan, count: roost_conv_workspace_floats(&geo))
        var y = [Float](repeating: .nan, count: p.m * pixels)
        // Channels-last: the kernel reads the residual and writes y as [pixels, m].
        let resIn = p.nhwc ? (0..<(pixels * p.m)).map { res[($0 % p.m) * pixels + $0 / p.m] } : res
        let pool = threads > 1 ? roost_pool_create(Int32(threads)) : nil
        defer { if let pool { roost_pool_destroy(pool) } }
        var status: Int32 = 0
        x.withUnsafeBufferPointer { xp in packed.withUnsafeBufferPointer { wp in bias.withUnsafeBufferPointer { bp in
            resIn.withUnsafeBufferPointer { rp in y.withUnsafeMutableBufferPointer { yp in workspace.withUnsafeMutableBufferPointer { ws in
                var conv = roost_conv()
                conv.geo = geo
                conv.m = p.m
                conv.x = xp.baseAddress
                conv.w_packed = wp.baseAddress
                conv.y = yp.baseAddress
                conv.epilogue.alpha = p.alpha
                conv.epilogue.lo = p.lo
                conv.epilogue.hi = p.hi
                if p.nhwc { conv.nhwc = 1; conv.ldy = p.m }
                if p.bias { conv.epilogue.bias_m = bp.baseAddress }  // per output channel in either layout
                if p.residual { conv.epilogue.residual = rp.baseAddress; conv.epilogue.ldr = p.nhwc ? p.m : pixels }
                if let l = p.leaky { conv.epilogue.leaky = 1; conv.epilogue.leaky_alpha = l }
                conv.epilogue.act = Int32(p.act.rawValue)
                status = roost_conv_run(&conv, isa, pool, ws.baseAddress)
            } } }
        } } }
        #expect(status == 0)

        if p.nhwc { y = (0..<(p.m * pixels)).map { y[($0 % pixels) * p.m + $0 / pixels] } }
        let worst = Self.worstError(p, x: x, weights: wt, bias: bias, residual: res, y: y)
        #expect(worst <= 1e-5, "isa \(isa.rawValue), \(threads) thread(s), \(p): worst relative error \(worst)")
    }

    /// The worst error of y against the conv in Double, relative to each output's
    /// sum of magnitudes (at least 1): the reference every conv kernel test reads.
    static func worstError(_ p: Problem, x: [Float], weights wt: [Float], bias: [Float], residual res: [Float], y: [Float]) -> Double {
        let pixels = p.oh * p.ow
        var worst = 0.0
        for m in 0..<p.m {
            for oy in 0..<p.oh {
                for ox in 0..<p.ow {
                    var s = 0.0, magnitude = 0.0
                    for c in 0..<p.c {
                        for ky in 0..<p.kh {
                            for kx in 0..<p.kw {
                                let iy = oy * p.sh - p.pt + ky * p.dh, ix = ox * p.sw - p.pl + kx * p.dw
                                guard iy >= 0, iy < p.h, ix >= 0, ix < p.w else { continue }
                                let t = Double(x[(c * p.h + iy) * p.w + ix]) * Double(wt[((m * p.c + c) * p.kh + ky) * p.kw + kx])
                                s += t
                                magnitude += abs(t)
                            }
                        }
                    }
                    let q = oy * p.ow + ox
                    s *= Double(p.alpha)
                    magnitude *= Double(abs(p.alpha))
                    if p.bias { s += Double(bias[m]); magnitude += abs(Double(bias[m])) }
                    if p.residual { s += Double(res[m * pixels + q]); magnitude += abs(Double(res[m * pixels + q])) }
                    s = min(max(s, Double(p.lo)), Double(p.hi))
                    if let l = p.leaky, s < 0 { s *= Double(l) }
                    s = PackedGemmTests.activation(p.act, s)
                    let err = abs(Double(y[m * pixels + q]) - s) / max(magnitude, 1)
                    worst = max(worst, err.isNaN ? .infinity : err)
                }
            }
        }
        return worst
    }

    @Test func windowsStridesAndPaddingMatchTheReference() {
        let problems = [
            Problem(c: 3, h: 23, w: 21, m: 16, kh: 7, kw: 7, sh: 2, sw: 2, pt: 3, pl: 3, pb: 3, pr: 3),  // a stem
            Problem(c: 8, h: 9, w: 14, m: 32, kh: 3, kw: 3, pt: 1, pl: 1, pb: 1, pr: 1),
            Problem(c: 5, h: 7, w: 7, m: 20, kh: 3, kw: 3, pt: 1, pl: 1, pb: 1, pr: 1),                   // a part-filled panel, 49 pixels
            Problem(c: 4, h: 10, w: 11, m: 17, kh: 3, kw: 2, sh: 2, sw: 1, dh: 2, dw: 3, pt: 2, pl: 0, pb: 1, pr: 4),
            Problem(c: 6, h: 8, w: 8, m: 48, kh: 1, kw: 1, sh: 2, sw: 2),                                 // strided 1×1, read in place
            Problem(c: 2, h: 6, w: 9, m: 16, kh: 2, kw: 3),                                               // no padding at all
            Problem(c: 1, h: 1, w: 1, m: 16, kh: 1, kw: 1),
            Problem(c: 3, h: 4, w: 4, m: 16, kh: 3, kw: 3, pt: 5, pl: 0, pb: 0, pr: 6),                   // padding wider than the window
        ]
        for isa in Self.families {
            for threads in [1, 2] {
                for p in problems { check(p, isa: isa, threads: threads) }
            }
        }
    }

    @Test func everyEpilogueTermMatchesTheReference() {
        let base = Problem(c: 6, h: 11, w: 13, m: 35, kh: 3, kw: 3, pt: 1, pl: 1, pb: 1, pr: 1)
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

    /// The channels-last output (a stem conv in a channels-last region): whole
    /// tiles (the straight-line rows), a part-filled pixel tile and channel panel,
    /// and every epilogue term it takes.
    @Test func theChannelsLastOutputMatchesTheReference() {
        let shapes = [
            Problem(c: 3, h: 23, w: 21, m: 32, kh: 3, kw: 3, sh: 2, sw: 2, pt: 1, pl: 1, pb: 1, pr: 1),  // 132 pixels: whole tiles
            Problem(c: 5, h: 7, w: 7, m: 20, kh: 3, kw: 3, pt: 1, pl: 1, pb: 1, pr: 1),                   // 49 pixels, 20 channels
        ]
        for isa in Self.families {
            for threads in [1, 2] {
                for base in shapes {
                    var p = base; p.nhwc = true; p.bias = true; p.lo = 0; p.hi = 6
                    check(p, isa: isa, threads: threads)
                    p = base; p.nhwc = true; p.bias = true; p.residual = true; p.act = ROOST_ACT_SILU
                    check(p, isa: isa, threads: threads)
                    p = base; p.nhwc = true; p.bias = true; p.residual = true; p.alpha = 0.5
                    check(p, isa: isa, threads: threads)
                    p = base; p.nhwc = true; p.residual = true; p.leaky = 0.1
                    check(p, isa: isa, threads: threads)
                }
            }
        }
    }

    @Test func aNaNInTheImageReachesItsOutputsAndOnlyThose() {
        // Clamps keep NaN (relu of NaN is NaN, as ONNX Runtime gives), and padding never reads it.
        let c = 1, h = 5, w = 8, m = 16
        var x = [Float](repeating: 1, count: c * h * w)
        x[2 * w + 3] = .nan
        var weights = [Float](repeating: 1, count: m * 9)
        var packed = [Float](repeating: 0, count: roost_packed_b_floats(9, m))
        roost_pack_b(9, m, &weights, 9, 1, &packed)
        var geo = roost_im2col(channels: 1, h: 5, w: 8, kh: 3, kw: 3, sh: 1, sw: 1, pt: 1, pl: 1, dh: 1, dw: 1, oh: 5, ow: 8)
        var workspace = [Float](repeating: 0, count: roost_conv_workspace_floats(&geo))
        for isa in Self.families {
            var y = [Float](repeating: 0, count: m * h * w)
            x.withUnsafeBufferPointer { xp in packed.withUnsafeBufferPointer { wp in y.withUnsafeMutableBufferPointer { yp in
                workspace.withUnsafeMutableBufferPointer { ws in
                    var conv = roost_conv()
                    conv.geo = geo; conv.m = m; conv.x = xp.baseAddress; conv.w_packed = wp.baseAddress; conv.y = yp.baseAddress
                    conv.epilogue.alpha = 1; conv.epilogue.lo = 0; conv.epilogue.hi = .infinity
                    _ = roost_conv_run(&conv, isa, nil, ws.baseAddress)
                }
            } } }
            for q in 0..<(h * w) {
                let (oy, ox) = (q / w, q % w)
                let touches = abs(oy - 2) <= 1 && abs(ox - 3) <= 1
                #expect(y[5 * h * w + q].isNaN == touches, "isa \(isa.rawValue) pixel \(oy),\(ox)")
            }
        }
    }
}
