import Foundation

/// Hard limits a target must meet to be recommended (`--max-p99-ms`,
/// `--min-throughput`, `--max-memory-mb`, `--engines`). Nil means no limit.
public struct Constraints: Codable, Sendable, Equatable {
    public var maxP99Ms: Double?
    /// Inferences per second.
    public var minThroughput: Double?
    /// Peak resident memory in MiB (2^20 bytes, as `top` and `ps` count). A target
    /// whose peak memory was not recorded cannot be shown to meet it and is excluded.
    public var maxMemoryMB: Double?
    /// Engines allowed; nil or empty allows every engine.
    public var engines: [String]?

    public init(maxP99Ms: Double? = nil, minThroughput: Double? = nil, maxMemoryMB: Double? = nil, engines: [String]? = nil) {
        self.maxP99Ms = maxP99Ms
        self.minThroughput = minThroughput
        self.maxMemoryMB = maxMemoryMB
        self.engines = engines.map(Self.normalized)
    }

    /// Parses `--engines a,b` (spaces and empty items ignored).
    public static func engines(from list: String) -> [String] {
        normalized(list.split(separator: ",").map(String.init))
    }

    public var isEmpty: Bool { maxP99Ms == nil && minThroughput == nil && maxMemoryMB == nil && (engines ?? []).isEmpty }

    private static func normalized(_ engines: [String]) -> [String] {
        engines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
