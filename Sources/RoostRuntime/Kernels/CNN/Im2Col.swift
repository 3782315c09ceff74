/// Unfolds one group's input patches into the [C/g·kh·kw, OH·OW] matrix sgemm
/// multiplies by the weights: row (c, ky, kx) holds input channel c shifted by
/// the tap, zero where the tap falls in the padding.
enum Im2Col {
    static func unfold(_ x: UnsafePointer<Float>, channels: Int, _ g: WindowParameters, into col: UnsafeMutablePointer<Float>) {
        let plane = g.outputPlane
        var row = col
        for c in 0..<channels {
            let xc = x + c * g.inputPlane
            for ky in 0..<g.kh {
                for kx in 0..<g.kw {
                    let offset = kx * g.dw - g.pl
                    let (first, last) = g.validColumns(offset: kx * g.dw)
                    for oy in 0..<g.oh {
                        let out = row + oy * g.ow
                        let iy = oy * g.sh - g.pt + ky * g.dh
                        guard iy >= 0, iy < g.h, first < last else {
                            out.update(repeating: 0, count: g.ow)
                            continue
                        }
                        // Borders are a few floats: inline loops, not memset calls.
                        for ox in 0..<first { out[ox] = 0 }
                        for ox in last..<g.ow { out[ox] = 0 }
                        let src = xc + iy * g.w + offset
                        if g.sw == 1 {
                            (out + first).update(from: src + first, count: last - first)
                        } else if g.sw == 2 {
                            for ox in first..<last { out[ox] = src[2 &* ox] }
                        } else {
                            for ox in first..<last { out[ox] = src[ox &* g.sw] }
                        }
                    }
                    row += plane
                }
            }
        }
    }
}
