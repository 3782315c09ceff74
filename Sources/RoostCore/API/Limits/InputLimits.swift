import Foundation

/// The most the scheduler accepts wherever input enters, in one place so the
/// routes, the harness, the documentation (docs/hostile-input.md) and the tests
/// agree. Each is far above what Roost's own agent and CLI send; sizes of text
/// are in bytes of UTF-8.
public enum InputLimits {
    /// Every JSON body but a result's: heartbeats, leases, enrollment, tokens, queue requests.
    public static let jsonBodyBytes = 1 << 20
    /// A result's body is this plus `bytesPerSample` per allowed sample.
    public static let resultOverheadBytes = 1 << 20
    /// Room for one sample in JSON (`0.12345678901234567,` is 20; exponents and spaces fit too).
    public static let bytesPerSample = 32

    /// A job heartbeat's `phase` ("warmup", "timed", …).
    public static let phaseBytes = 256
    /// A release reason, and each validity reason of a result.
    public static let reasonBytes = 1000
    /// Validity reasons in one result.
    public static let reasonCount = 64
    /// A result's error message (a worker's stderr tail is at most 800).
    public static let errorMessageBytes = 64 << 10
    /// An agent's name.
    public static let agentNameBytes = 128
    /// A model's name.
    public static let modelNameBytes = 200
    /// Tags of an agent (enrollment and profile): how many, and the size of each key and value.
    public static let tagCount = 64
    public static let tagKeyBytes = 64
    public static let tagValueBytes = 256
    /// A lease token or enrollment token (the scheduler's own are 40-odd characters).
    public static let tokenBytes = 256
    /// Any other string in a request body.
    public static let textBytes = 4096
    /// Any other list in a request body (ISA features, CPU ids, caches, …).
    public static let listCount = 4096

    /// Samples one result may carry, by the job's profile: what the harness
    /// keeps at most (it stops its timed phase there), and never fewer than
    /// the spec's own minimum number of queries.
    public static func maxSamples(for spec: BenchmarkSpec) -> Int {
        min(hardMaxSamples, max(spec.minIterations, maxSamples(for: spec.profile)))
    }

    public static func maxSamples(for profile: BenchmarkProfile) -> Int {
        switch profile {
        case .quick: 200_000
        case .standard: 1_000_000
        case .rigorous: 2_000_000
        }
    }

    /// No job, whatever its spec, is allowed more samples than this.
    public static let hardMaxSamples = 2_000_000

    /// The smallest cap of any job: a result within it needs no look-up of its job's spec.
    public static let leastMaxSamples = BenchmarkProfile.allCases.map { maxSamples(for: $0) }.min() ?? 200_000

    /// A result body's size limit for a job allowed `samples` samples.
    public static func resultBodyBytes(samples: Int) -> Int {
        resultOverheadBytes + bytesPerSample * samples
    }

    /// True when `s` holds a control character (newline, tab, NUL, …): names
    /// land in logs, tables and CSV cells, where one would break a line.
    public static func hasControlCharacters(_ s: String) -> Bool {
        s.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
