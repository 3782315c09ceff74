import RoostCore

/// The seam between the harness and whatever executes the model. Engines with
/// different internals (the native runtime, the ONNX Runtime adapter) are
/// measured by the same rules.
public protocol InferenceEngine {
    var name: String { get }
    var version: String { get }
    /// Bytes of intermediate-value memory the engine holds, when it knows.
    var arenaBytes: Int? { get }
    var inputShapes: [[Int]] { get }
    /// Loads inputs; called once before warm-up.
    func prepare(inputs: [HostTensor]) throws
    /// One inference on the prepared inputs.
    func runOnce() throws
    func outputs() throws -> [HostTensor]
    /// Engines in another process time each query themselves (so the pipe costs
    /// nothing): `count` inferences, their latencies in ms. Nil when the harness
    /// should time `runOnce()` itself.
    func timedRuns(count: Int) throws -> [Double]?
    /// Engine facts to record with the result (BLAS core, threads, …).
    func describe(into environment: inout RunEnvironment)
    /// Processes doing the engine's work besides this one; their CPU time is the
    /// benchmark's own, not outside load.
    var helperProcessIDs: [Int32] { get }
}

extension InferenceEngine {
    public func timedRuns(count: Int) throws -> [Double]? { nil }
    public var helperProcessIDs: [Int32] { [] }
}
