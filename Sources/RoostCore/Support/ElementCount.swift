/// Overflow-safe element counts for shapes that come from files (models, test
/// data, artifacts). `shape.reduce(1, *)` traps on overflow, so every shape read
/// from outside is checked here once; code after that may multiply freely.
public enum ElementCount {
    /// The largest element count (and dimension) Roost accepts: 2^40 float32
    /// values, 4 TiB, far beyond any real model yet small enough that sums and
    /// products of a few such counts cannot overflow `Int`.
    public static let limit = 1 << 40

    /// Elements of `shape`, or nil when a dimension is negative, a dimension
    /// exceeds `limit`, or the product of the nonzero dimensions does. Checking
    /// nonzero dimensions too keeps every partial product (what Flatten and
    /// Reshape compute) in range even when another dimension is 0.
    public static func of(_ shape: [Int]) -> Int? {
        var nonzero = 1
        var hasZero = false
        for d in shape {
            guard d >= 0, d <= limit else { return nil }
            if d == 0 { hasZero = true; continue }
            let (p, overflow) = nonzero.multipliedReportingOverflow(by: d)
            guard !overflow, p <= limit else { return nil }
            nonzero = p
        }
        return hasZero ? 0 : nonzero
    }

    /// Like `of`, but throws `error(message)` naming the shape.
    public static func checked(_ shape: [Int], _ what: @autoclosure () -> String,
                               error: (String) -> RoostError = RoostError.invalidModel) throws -> Int {
        guard let n = of(shape) else {
            throw error("\(what()) has shape \(shape): negative dimension or more than 2^40 elements")
        }
        return n
    }
}
