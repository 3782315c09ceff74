import RoostCore

extension PlanAttribute {
    /// Artifacts are JSON, which has no infinities or NaN; such values (a Clip
    /// without a bound, a -inf mask fill) travel as the strings "inf", "-inf", "nan".
    static func anyFloat(_ v: Float) -> PlanAttribute {
        if v.isFinite { return .float(v) }
        return .string(v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf"))
    }
}
