/// The results of a conformance run and how they are printed.
public struct ConformanceReport: Sendable {
    public var results: [CaseResult]

    public init(results: [CaseResult]) { self.results = results }

    public var passed: Int { results.filter(\.passed).count }
    public var failed: Int { results.filter { if case .failed = $0.outcome { true } else { false } }.count }
    public var skipped: Int { results.filter { if case .skipped = $0.outcome { true } else { false } }.count }
    public var passedNames: [String] { results.filter(\.passed).map(\.name).sorted() }

    /// Passing cases that ran with shape-like inputs bound as constants (`ShapeInputBinding`).
    public var passedBound: Int { results.filter { $0.passed && $0.boundShapeInputs }.count }

    /// The closing line, exactly `N passed, M failed, K skipped`.
    public var summaryLine: String { "\(passed) passed, \(failed) failed, \(skipped) skipped" }

    /// How many of the passing cases needed shape-like inputs bound; printed just
    /// before the closing line (which stays last, for `make conformance`'s readers).
    public var boundLine: String { "of which \(passedBound) passed with shape-like inputs bound as constants" }

    /// The last lines of the summary: `boundLine`, then `summaryLine`.
    public var closingLines: [String] { [boundLine, summaryLine] }

    /// The operator a case exercises: its model's only operator; for a
    /// function-expanded case (`test_X_expanded…`, many primitive nodes) the
    /// operator of `test_X` marked "(expanded)"; otherwise the operators joined.
    public func operatorKey(of result: CaseResult, baseOperators: [String: String]) -> String {
        let ops = result.operators.count > 1 ? result.operators.filter { $0 != "Constant" } : result.operators
        if let r = result.name.range(of: "_expanded"), let base = baseOperators[String(result.name[..<r.lowerBound])] {
            return "\(base) (expanded)"
        }
        if ops.count == 1 { return ops[0] }
        if ops.isEmpty { return "(no operator)" }
        return ops.joined(separator: "+")
    }

    /// One row per operator: passed, failed, skipped.
    public func perOperator() -> [(operator: String, passed: Int, failed: Int, skipped: Int)] {
        var base: [String: String] = [:]
        for r in results where r.operators.count == 1 { base[r.name] = r.operators[0] }
        var rows: [String: (Int, Int, Int)] = [:]
        for r in results {
            let key = operatorKey(of: r, baseOperators: base)
            var row = rows[key] ?? (0, 0, 0)
            switch r.outcome {
            case .passed: row.0 += 1
            case .failed: row.1 += 1
            case .skipped: row.2 += 1
            }
            rows[key] = row
        }
        return rows.keys.sorted().map { key in
            let (p, f, s) = rows[key] ?? (0, 0, 0)
            return (key, p, f, s)
        }
    }

    /// The per-operator table (operators with a run case; all with `verbose`),
    /// the skip reasons by category, and the closing lines last.
    public func summary(verbose: Bool = false) -> [String] {
        var lines: [String] = []
        let rows = perOperator()
        let shown = verbose ? rows : rows.filter { $0.passed + $0.failed > 0 }
        let width = max(24, (shown.map(\.operator.count).max() ?? 0) + 2)
        let ran = rows.filter { $0.passed + $0.failed > 0 }.count
        lines.append("per operator (\(rows.count) operators, \(ran) with a case that ran):")
        for row in shown {
            let name = row.operator.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name)\(row.passed) passed, \(row.failed) failed, \(row.skipped) skipped")
        }
        let hidden = rows.count - shown.count
        if hidden > 0 { lines.append("  (\(hidden) more operators with every case skipped; --verbose lists them)") }

        var byCategory: [SkipReason.Category: [String: Int]] = [:]
        for r in results {
            guard case .skipped(let reason) = r.outcome else { continue }
            byCategory[reason.category, default: [:]][reason.detail, default: 0] += 1
        }
        if !byCategory.isEmpty {
            lines.append("skipped by reason:")
            for category in byCategory.keys.sorted() {
                let details = byCategory[category] ?? [:]
                let total = details.values.reduce(0, +)
                let top = details.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                let listed = verbose ? top : Array(top.prefix(12))
                let more = top.count - listed.count
                let text = listed.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + (more > 0 ? ", … \(more) more" : "")
                lines.append("  \(category.rawValue): \(total) (\(text))")
            }
        }
        lines.append(contentsOf: closingLines)
        return lines
    }
}
