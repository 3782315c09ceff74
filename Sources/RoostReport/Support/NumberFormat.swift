import Foundation

/// Number formatting shared by every output, so md, html and csv agree.
enum NumberFormat {
    /// Milliseconds with precision that suits their size.
    static func ms(_ v: Double) -> String {
        guard v.isFinite else { return "–" }
        return v >= 100 ? String(format: "%.1f", v) : v >= 1 ? String(format: "%.3f", v) : String(format: "%.4f", v)
    }

    static func ms(_ v: Double?) -> String { v.map { ms($0) } ?? "–" }

    /// `v` with the decimals `reference` gets, so an interval's bounds line up with its value.
    static func ms(_ v: Double, like reference: Double) -> String {
        guard v.isFinite, reference.isFinite else { return ms(v) }
        return String(format: reference >= 100 ? "%.1f" : reference >= 1 ? "%.3f" : "%.4f", v)
    }

    /// Throughputs and memory: one decimal.
    static func one(_ v: Double?) -> String { v.flatMap { $0.isFinite ? String(format: "%.1f", $0) : nil } ?? "–" }

    /// Money: four decimals; a missing price reads "unknown", never 0.
    static func usd(_ v: Double?) -> String { v.flatMap { $0.isFinite ? String(format: "%.4f", $0) : nil } ?? "unknown" }

    /// Limits as the user typed them: no trailing zeros.
    static func plain(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%g", v)
    }

    /// p-values: scientific below 0.001.
    static func p(_ v: Double) -> String { v < 0.001 ? String(format: "%.1e", v) : String(format: "%.3f", v) }

    /// Ratios like "1.23×".
    /// A fraction as a whole percentage ("12 %"), one decimal below 10 %.
    static func percent(_ v: Double) -> String { v < 0.1 ? String(format: "%.1f %%", v * 100) : String(format: "%.0f %%", v * 100) }

    static func ratio(_ v: Double?) -> String { v.flatMap { $0.isFinite ? String(format: "%.2f×", $0) : nil } ?? "–" }

    /// Errors against the reference: scientific.
    static func error(_ v: Double?) -> String { v.flatMap { $0.isFinite ? String(format: "%.2e", $0) : nil } ?? "–" }

    /// ISO 8601 in UTC, for tables and CSV.
    static func date(_ d: Date) -> String { d.formatted(.iso8601) }

    /// Nil for NaN and ±inf, which JSON cannot carry as numbers.
    static func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
}
