import Foundation

/// A lease as the store grants it: a `JobAssignment` whose target and benchmark
/// spec are still the JSON text PostgreSQL returned. The scheduler splices that
/// text into its reply (`wireJSON`) instead of decoding it into Swift values
/// and encoding them again — under load that round trip was a tenth of the
/// scheduler's CPU. An agent decodes the reply as a `JobAssignment`.
public struct LeasedJob: Sendable, Equatable {
    public var jobID: String
    public var benchmarkID: String
    public var attempt: Int
    public var leaseToken: String
    public var leaseSeconds: Double
    public var modelName: String
    public var modelSHA256: String
    public var artifactSHA256: String
    public var artifactBytes: Int
    /// A `TargetSpec` as JSON.
    public var targetJSON: String
    /// A `BenchmarkSpec` as JSON.
    public var specJSON: String

    public init(jobID: String, benchmarkID: String, attempt: Int, leaseToken: String, leaseSeconds: Double, modelName: String,
                modelSHA256: String, artifactSHA256: String, artifactBytes: Int, targetJSON: String, specJSON: String) {
        self.jobID = jobID; self.benchmarkID = benchmarkID; self.attempt = attempt; self.leaseToken = leaseToken
        self.leaseSeconds = leaseSeconds; self.modelName = modelName; self.modelSHA256 = modelSHA256
        self.artifactSHA256 = artifactSHA256; self.artifactBytes = artifactBytes; self.targetJSON = targetJSON; self.specJSON = specJSON
    }

    /// The reply body: a `JobAssignment` in JSON, keys in `JobAssignment`'s coding order.
    public var wireJSON: [UInt8] {
        var j = JSONText(capacity: 256 + targetJSON.utf8.count + specJSON.utf8.count)
        j.raw("{")
        j.key("jobID", first: true); j.string(jobID)
        j.key("benchmarkID"); j.string(benchmarkID)
        j.key("attempt"); j.int(attempt)
        j.key("leaseToken"); j.string(leaseToken)
        j.key("leaseSeconds"); j.double(leaseSeconds)
        j.key("modelName"); j.string(modelName)
        j.key("modelSHA256"); j.string(modelSHA256)
        j.key("artifactSHA256"); j.string(artifactSHA256)
        j.key("artifactBytes"); j.int(artifactBytes)
        j.key("target"); j.raw(targetJSON)
        j.key("spec"); j.raw(specJSON)
        j.raw("}")
        return j.bytes
    }

    /// The reply to a result upload that leased this job as its `next`: a
    /// `ResultAccepted` in JSON.
    public var acceptedWireJSON: [UInt8] {
        var bytes = Array(#"{"accepted":true,"next":"#.utf8)
        bytes.append(contentsOf: wireJSON)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// Decoded, for callers that need the values rather than the wire form.
    public func assignment() throws -> JobAssignment {
        try RoostJSON.decoder().decode(JobAssignment.self, from: Data(wireJSON))
    }
}
