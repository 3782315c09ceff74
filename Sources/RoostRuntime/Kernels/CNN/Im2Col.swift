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
                        if first > 0 { out.update(repeating: 0, count: first) }
                        if last < g.ow { (out + last).update(repeating: 0, count: g.ow - last) }
                        let src = xc + iy * g.w + offset
                        if g.sw == 1 {
                            (out + first).update(from: src + first, count: last - first)
                        } else {
                            for ox in first..<last { out[ox] = src[ox * g.sw] }
                        }
                    }
                    row += plane
                }
            }
        }
    }
}
