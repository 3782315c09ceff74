import Foundation
import RoostCore

/// The gate as JUnit XML, the format every CI system shows as a test report:
/// one `<testcase>` per model × target × engine; a regression or an accuracy
/// failure is a `<failure>` carrying the figures, a target without a valid
/// result an `<error>` (it could not be judged). Non-gating findings go to `<system-out>`.
public enum JUnitRenderer {
    public static func render(_ outcome: GateOutcome, timestamp: Date = Date()) -> String {
        let failures = outcome.failures
        let failed = failures.filter { $0.outcome != .noValidResult }.count
        let errors = failures.filter { $0.outcome == .noValidResult }.count
        let time = String(format: "%.3f", outcome.cases.map(\.seconds).reduce(0, +))
        let stamp = ISO8601DateFormatter().string(from: timestamp)
        let suite = "roost bench \(outcome.model.name)"
        var x = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        x += #"<testsuites name="roost" tests="\#(outcome.cases.count)" failures="\#(failed)" errors="\#(errors)" time="\#(time)">"# + "\n"
        x += #"  <testsuite name="\#(attr(suite))" tests="\#(outcome.cases.count)" failures="\#(failed)" errors="\#(errors)" skipped="0" time="\#(time)" timestamp="\#(stamp)">"# + "\n"
        x += "    <properties>\n"
        var properties: [(String, String)] = [("benchmark", outcome.benchmarkID), ("model.sha256", outcome.model.sha256),
                                               ("threshold", String(format: "%.4g", outcome.regressionRatio)),
                                               ("alpha", String(format: "%.4g", outcome.alpha))]
        properties += outcome.labels.sorted { $0.key < $1.key }.map { ("label.\($0.key)", $0.value) }
        if let base = outcome.baselineBenchmarkID { properties.append(("baseline", base)) }
        properties += (outcome.baselineLabels ?? [:]).sorted { $0.key < $1.key }.map { ("baseline.label.\($0.key)", $0.value) }
        for (name, value) in properties { x += #"      <property name="\#(attr(name))" value="\#(attr(value))"/>"# + "\n" }
        x += "    </properties>\n"
        for c in outcome.cases {
            x += #"    <testcase classname="\#(attr(c.model))" name="\#(attr(c.name))" time="\#(String(format: "%.3f", c.seconds))">"#
            if outcome.fails(c) {
                let tag = c.outcome == .noValidResult ? "error" : "failure"
                x += "\n" + #"      <\#(tag) type="\#(c.outcome.rawValue)" message="\#(attr(c.message))">\#(text(details(c)))</\#(tag)>"# + "\n    "
            } else if !c.message.isEmpty {
                x += "\n      <system-out>\(text(c.message))</system-out>\n    "
            }
            x += "</testcase>\n"
        }
        x += "  </testsuite>\n</testsuites>\n"
        return x
    }

    /// The figures, one per line, for the failure's body.
    static func details(_ c: GateCase) -> String {
        var lines = [c.message, "job: \(c.jobID)", "agent: \(c.agent)", "engine: \(c.engine)", "target: \(c.target)"]
        if let v = c.p50Ms { lines.append("p50_ms: \(v)") }
        if let v = c.baselineP50Ms { lines.append("baseline_p50_ms: \(v)") }
        if let v = c.ratio { lines.append("p50_ratio: \(v)") }
        if let v = c.pValue { lines.append("p_value: \(v)") }
        return lines.joined(separator: "\n")
    }

    /// XML 1.0 allows no control characters but tab, LF and CR, even escaped: they are dropped.
    static func text(_ s: String) -> String {
        Escape.html(String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r" })))
    }

    /// Attribute values also keep line breaks and tabs, as character references.
    static func attr(_ s: String) -> String {
        text(s).replacingOccurrences(of: "\n", with: "&#10;").replacingOccurrences(of: "\r", with: "&#13;").replacingOccurrences(of: "\t", with: "&#9;")
    }
}
