/// The exit status of `roost bench queue --wait` and the CI gate. Distinct per
/// finding so a pipeline can tell "slower" from "wrong" from "not measured".
/// When several hold, the first in this order wins: accuracy, regression, no valid result.
public enum GateExitCode: Int32, Sendable, Codable {
    /// Every target has a valid result, none regressed (or regressions do not gate).
    case passed = 0
    /// Usage and other errors (bad arguments, scheduler unreachable, …).
    case error = 1
    /// A target's p50 rose above the threshold *and* the shift is significant.
    case regression = 3
    /// A target's outputs disagree with the model's reference outputs.
    case accuracyFailure = 4
    /// A target has no valid result (its job failed, or the result is INVALID).
    case noValidResult = 5
}
