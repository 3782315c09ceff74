/// Versions recorded with every artifact and result so numbers stay attributable.
public enum RoostVersion {
    public static let roost = "0.1.0"
    /// Bumped whenever the compiler's output for the same input may change.
    public static let compiler = "roostc-0.3.0"
    /// Bumped whenever the harness's measurement rules change.
    public static let harness = "harness-0.1.0"
}
