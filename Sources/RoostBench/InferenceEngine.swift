import RoostCore

/// The seam between the harness and whatever executes the model. The harness only
/// ever calls `runOnce()` inside its timed region, so engines with different
/// internals (native runtime, ONNX Runtime adapter) are measured by the same rules.
public protocol InferenceEngine {
    var name: String { get }
    var version: String { get }
    /// Bytes of intermediate-value memory the engine holds, when it knows.
    var arenaBytes: Int? { get }
    /// Loads inputs; called once before warm-up.
    func prepare(inputs: [HostTensor]) throws
    /// One inference on the prepared inputs.
    func runOnce() throws
    func outputs() -> [HostTensor]
    /// Engine facts to record with the result (BLAS core, threads, …).
    func describe(into environment: inout RunEnvironment)
}
