/// Picks the best eligible target for the objective and checks the lead over
/// the runner-up with a Mann–Whitney test, so a 1 % difference from noise is
/// reported as "indistinguishable" rather than as a winner. The test sees one
/// run of each target; where the report has their previous benchmark of the
/// model (`history`), a lead no larger than how far either target's own p50
/// moved between the two benchmarks is indistinguishable too, since the next
/// run could reverse it.
public enum Recommender {
    public static func recommend(_ matrix: ReportMatrix, options: ReportOptions, history: History? = nil) -> Recommendation {
        let objective = options.objective
        let ranked = matrix.rows.filter { $0.eligible && $0.metric(for: objective) != nil } // already in rank order
        let excluded = matrix.rows.filter { !$0.eligible }.map { ExcludedTarget(id: $0.id, label: $0.label, exclusions: $0.exclusions) }
            + matrix.unmeasured
        func target(_ row: MatrixRow) -> RankedTarget { RankedTarget(id: row.id, label: row.label, value: row.metric(for: objective)!) }

        guard let best = ranked.first else {
            let summary = matrix.rows.isEmpty && matrix.unmeasured.isEmpty
                ? "No results yet."
                : options.constraints.isEmpty
                    ? "No target can be recommended: all \(excluded.count) \(excluded.count == 1 ? "was" : "were") excluded (reasons listed per target)."
                    : "No target meets the constraints: all \(excluded.count) \(excluded.count == 1 ? "was" : "were") excluded (reasons listed per target)."
            return Recommendation(objective: objective, constraints: options.constraints, best: nil, runnerUp: nil,
                                  significance: nil, excluded: excluded, summary: summary)
        }
        let runnerUp = ranked.dropFirst().first
        let significance = runnerUp.map { runnerUp in
            compare(best: best, runnerUp: runnerUp, objective: objective, alpha: options.alpha,
                    runToRun: runToRunChange(of: [best.id, runnerUp.id], in: history))
        }
        return Recommendation(
            objective: objective, constraints: options.constraints, best: target(best), runnerUp: runnerUp.map(target),
            significance: significance, excluded: excluded,
            summary: summary(best: best, runnerUp: runnerUp, significance: significance, objective: objective))
    }

    /// The per-query figure for `objective`, lower is better (see `Significance`).
    static func perQuery(_ row: MatrixRow, objective: Objective) -> [Double] {
        let batch = Double(row.key.batch)
        switch objective {
        case .latency: return row.samplesMs
        case .throughput: return row.samplesMs.map { $0 / batch }
        case .cost:
            // ms per inference × USD per ms, scaled to a million inferences.
            let price = row.pricePerHour ?? 0
            return row.samplesMs.map { $0 / batch / 3_600_000 * price * 1e6 }
        case .energy:
            // Each query's ms per inference at the run's average power (J per inference / median ms per inference).
            let perInference = row.samplesMs.map { $0 / batch }
            guard let j = row.joulesPerInference, let median = Quantiles.median(perInference), median > 0 else { return [] }
            return perInference.map { $0 * j / median }
        }
    }

    static func quantity(_ objective: Objective) -> String {
        switch objective {
        case .latency: "latency ms"
        case .throughput: "ms per inference"
        case .cost: "USD per 1M inferences, per query"
        case .energy: "J per inference, per query"
        }
    }

    /// The larger |p50 ratio − 1| of `ids` against their previous benchmark; nil
    /// unless every one of them has a baseline row.
    static func runToRunChange(of ids: [String], in history: History?) -> Double? {
        guard let history else { return nil }
        var largest = 0.0
        for id in ids {
            guard let change = history.changes.first(where: { $0.id == id }), change.p50Ratio.isFinite, change.p50Ratio > 0 else { return nil }
            largest = max(largest, abs(change.p50Ratio - 1))
        }
        return largest
    }

    static func compare(best: MatrixRow, runnerUp: MatrixRow, objective: Objective, alpha: Double, runToRun: Double? = nil) -> Significance {
        let a = perQuery(best, objective: objective), b = perQuery(runnerUp, objective: objective)
        var notes: [String] = []
        guard let test = MannWhitney.test(a, b), let ma = Quantiles.median(a), let mb = Quantiles.median(b) else {
            notes.append("raw samples missing for \(a.isEmpty ? best.label : runnerUp.label); no significance test")
            return Significance(verdict: .untested, test: nil, medianRatio: nil, alpha: alpha, quantity: quantity(objective), notes: notes)
        }
        if !test.isApproximationReliable {
            notes.append("fewer than \(MannWhitney.reliableSampleSize) samples on one side: the normal approximation is only indicative")
        }
        let ratio = ma > 0 ? mb / ma : nil
        var verdict: Significance.Verdict = test.isSignificant(alpha: alpha) ? .significant : .indistinguishable
        if verdict == .significant, let runToRun, let ratio, ratio - 1 <= runToRun {
            verdict = .indistinguishable
        }
        return Significance(verdict: verdict, test: test, medianRatio: ratio, alpha: alpha, quantity: quantity(objective), notes: notes,
                            runToRunChange: runToRun)
    }

    static func describe(_ row: MatrixRow, _ objective: Objective) -> String {
        switch objective {
        case .latency: "p50 \(NumberFormat.ms(row.p50Ms)) ms, p99 \(NumberFormat.ms(row.p99Ms)) ms"
        case .throughput: "\(NumberFormat.one(row.throughput)) inferences/s"
        case .cost: "$\(NumberFormat.usd(row.costPerMillion)) per 1M inferences"
        case .energy: "\(ReportText.energy(row)) per inference"
        }
    }

    static func summary(best: MatrixRow, runnerUp: MatrixRow?, significance: Significance?, objective: Objective) -> String {
        let head = "Best for \(objective.rawValue): \(best.label) (\(describe(best, objective)))."
        guard let runnerUp, let significance else { return head + " No other target meets the constraints." }
        let ratio = NumberFormat.ratio(significance.medianRatio)
        switch significance.verdict {
        case .significant:
            return head + " Runner-up \(runnerUp.label) (\(describe(runnerUp, objective))); the difference is significant "
                + "(median ratio \(ratio), Mann–Whitney p = \(NumberFormat.p(significance.test!.pValue)) < α = \(NumberFormat.plain(significance.alpha)))."
        case .indistinguishable where significance.test.map({ $0.isSignificant(alpha: significance.alpha) }) == true:
            // Within one run the test tells them apart; between runs they moved more than the lead.
            return head + " Runner-up \(runnerUp.label) (\(describe(runnerUp, objective))) is statistically indistinguishable "
                + "(median ratio \(ratio); Mann–Whitney p = \(NumberFormat.p(significance.test!.pValue)) within this run, but the lead is within "
                + "the ±\(NumberFormat.percent(significance.runToRunChange ?? 0)) that these targets' own p50 moved since their previous benchmark): either will do."
        case .indistinguishable:
            return head + " Runner-up \(runnerUp.label) (\(describe(runnerUp, objective))) is statistically indistinguishable "
                + "(median ratio \(ratio), Mann–Whitney p = \(NumberFormat.p(significance.test!.pValue)) ≥ α = \(NumberFormat.plain(significance.alpha))): either will do."
        case .untested:
            return head + " Runner-up \(runnerUp.label) (\(describe(runnerUp, objective))); not tested for significance (raw samples missing)."
        }
    }
}
