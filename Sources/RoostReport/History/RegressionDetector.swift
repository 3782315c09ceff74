/// Flags rows that got slower (or faster) than their baseline. A change needs
/// both size (p50 ratio beyond the threshold) and evidence (Mann–Whitney
/// significant on the raw samples): size alone flags noise on short runs,
/// evidence alone flags 0.5 % shifts on long ones.
public enum RegressionDetector {
    public static func compare(current: [MatrixRow], baseline: [MatrixRow], options: ReportOptions) -> History {
        let before = Dictionary(baseline.map { ($0.key, $0) }, uniquingKeysWith: { a, b in a.finishedAt >= b.finishedAt ? a : b })
        var changes: [RowChange] = []
        var newRows: [String] = []
        for row in current {
            guard let base = before[row.key] else { newRows.append(row.id); continue }
            changes.append(change(row, base, options: options))
        }
        let currentKeys = Set(current.map(\.key))
        let missing = baseline.filter { !currentKeys.contains($0.key) }.map(\.id)
        let ids = Array(Set(baseline.map(\.benchmarkID))).sorted()
        return History(baselineBenchmarkIDs: ids, changes: changes, newRows: newRows, missingRows: Array(Set(missing)).sorted(),
                       regressionRatio: options.regressionRatio, alpha: options.alpha,
                       baselineLabels: Dictionary(baseline.compactMap { row in row.labels.map { (row.benchmarkID, $0) } }, uniquingKeysWith: { a, _ in a }))
    }

    static func change(_ row: MatrixRow, _ base: MatrixRow, options: ReportOptions) -> RowChange {
        let ratio = base.p50Ms > 0 ? row.p50Ms / base.p50Ms : 1
        let test = MannWhitney.test(row.samplesMs, base.samplesMs)
        let verdict: RowChange.Verdict
        if let test {
            let significant = test.isSignificant(alpha: options.alpha)
            verdict = significant && ratio > options.regressionRatio ? .regression
                : significant && ratio < 1 / options.regressionRatio ? .improvement
                : .unchanged
        } else {
            verdict = .untested
        }
        return RowChange(id: row.id, label: row.label, verdict: verdict, baselineBenchmarkID: base.benchmarkID,
                         baselineP50Ms: base.p50Ms, currentP50Ms: row.p50Ms, p50Ratio: ratio, test: test)
    }
}
