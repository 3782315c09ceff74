import Foundation

/// Maps data values to pixels, linear or logarithmic, with readable ticks.
/// Latencies of a farm span decades (a board at 80 ms beside a server at
/// 0.8 ms), so a wide domain switches to a log axis rather than squash the fast rows.
struct ChartScale: Sendable {
    let lower: Double
    let upper: Double
    let start: Double
    let end: Double
    let logarithmic: Bool

    /// Upper ÷ lower beyond which a positive domain is drawn on a log axis.
    static let logThreshold = 20.0

    init(lower: Double, upper: Double, start: Double, end: Double, allowLog: Bool = true) {
        var lo = lower.isFinite ? lower : 0, hi = upper.isFinite ? upper : 1
        if hi <= lo { (lo, hi) = lo == 0 ? (0, 1) : (lo * 0.9, lo * 1.1) }
        if hi <= lo { (lo, hi) = (hi, lo) }
        logarithmic = allowLog && lo > 0 && hi / lo > Self.logThreshold
        self.lower = lo
        self.upper = hi
        self.start = start
        self.end = end
    }

    /// Pixel position; values outside the domain are clamped to its edges.
    func callAsFunction(_ v: Double) -> Double {
        let x = min(max(v, lower), upper)
        let t = logarithmic ? log10(x / lower) / log10(upper / lower) : (x - lower) / (upper - lower)
        return start + t * (end - start)
    }

    /// About `count` round values inside the domain.
    func ticks(count: Int = 6) -> [Double] {
        if logarithmic {
            var out: [Double] = []
            var decade = pow(10, floor(log10(lower)))
            while decade <= upper {
                for m in [1.0, 2, 5] where decade * m >= lower && decade * m <= upper { out.append(decade * m) }
                decade *= 10
            }
            return out.count > count * 2 ? out.filter { abs(log10($0).rounded() - log10($0)) < 1e-9 } : out
        }
        let raw = (upper - lower) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var v = (lower / step).rounded(.up) * step
        while v <= upper + step * 1e-9 { out.append(v); v += step }
        return out
    }

    /// Tick labels: as short as the value allows.
    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e6 || abs(v) < 0.001 { return String(format: "%.0e", v) }
        if abs(v) >= 1000 { return String(format: "%.0f", v) }
        return String(format: "%g", (v * 1000).rounded() / 1000)
    }
}
