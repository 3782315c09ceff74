/// The points no other point beats on both axes: the only sensible choices
/// when trading tail latency against cost (or throughput).
enum ParetoFrontier {
    /// `x` is always lower-is-better; `y` is lower-is-better unless `higherYIsBetter`.
    /// Returns the indices of the non-dominated points.
    static func indices(x: [Double], y: [Double], higherYIsBetter: Bool) -> Set<Int> {
        precondition(x.count == y.count)
        let yy = higherYIsBetter ? y.map { -$0 } : y
        var out: Set<Int> = []
        for i in x.indices {
            let dominated = x.indices.contains { j in
                j != i && x[j] <= x[i] && yy[j] <= yy[i] && (x[j] < x[i] || yy[j] < yy[i])
            }
            if !dominated { out.insert(i) }
        }
        return out
    }
}
