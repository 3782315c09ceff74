/// A tiny SVG writer: every piece of text goes through `Escape.html`, so no
/// caller can forget to escape a name, and numbers are written to 0.1 px.
struct SVGCanvas {
    let width: Double
    let height: Double
    let label: String
    private(set) var body = ""

    init(width: Double, height: Double, label: String) {
        self.width = width
        self.height = height
        self.label = label
    }

    static func n(_ v: Double) -> String { v.isFinite ? String(format: "%.1f", v) : "0" }

    mutating func raw(_ element: String) { body += element + "\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width w: Double = 1, dash: String? = nil) {
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        raw("<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(w))\"\(d)/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, opacity: Double = 1, stroke: String? = nil) {
        let s = stroke.map { " stroke=\"\($0)\"" } ?? ""
        raw("<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(w, 0.5)))\" height=\"\(Self.n(h))\" fill=\"\(fill)\" fill-opacity=\"\(String(format: "%.2f", opacity))\"\(s)/>")
    }

    mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String, tooltip: String) {
        raw("<circle cx=\"\(Self.n(cx))\" cy=\"\(Self.n(cy))\" r=\"\(Self.n(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"><title>\(Escape.html(tooltip))</title></circle>")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, dash: String? = nil) {
        let p = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
        let d = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        raw("<polyline points=\"\(p)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"1.5\"\(d)/>")
    }

    /// `anchor`: start, middle or end. `tooltip` adds a hover title (full text where the label is cut).
    mutating func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Double = 11, weight: String? = nil,
                       fill: String = "#222", tooltip: String? = nil, rotate: Bool = false, halo: Bool = false) {
        let w = weight.map { " font-weight=\"\($0)\"" } ?? ""
        let t = tooltip.map { "<title>\(Escape.html($0))</title>" } ?? ""
        let r = rotate ? " transform=\"rotate(-90 \(Self.n(x)) \(Self.n(y)))\"" : ""
        // A white outline painted under the glyphs keeps labels readable where they cross lines.
        let h = halo ? " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"" : ""
        raw("<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(Self.n(size))\"\(w) fill=\"\(fill)\"\(r)\(h)>\(t)\(Escape.html(content))</text>")
    }

    /// Long labels are cut with an ellipsis; the full text goes in a tooltip.
    static func truncated(_ s: String, to n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    var svg: String {
        "<svg viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" "
            + "role=\"img\" aria-label=\"\(Escape.html(label))\" font-family=\"system-ui, sans-serif\">\n\(body)</svg>"
    }
}
