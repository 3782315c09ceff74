import Foundation

/// The standard normal tail, for the p-values of normal approximations.
enum StandardNormal {
    /// P(Z > z) = erfc(z / √2) / 2; `erfc` keeps precision far into the tail, where 1 − Φ(z) would cancel to 0.
    static func survival(_ z: Double) -> Double { erfc(z / 2.0.squareRoot()) / 2 }
}
