import Foundation
import RoostCore

/// Where GPU readings come from during a run: live `nvidia-smi` sampling, or
/// a recording replayed (tests, and agents told to replay with
/// `ROOST_GPU_TELEMETRY_REPLAY`, which is how the GPU paths run without a GPU).
public protocol GPUTelemetrySource: Sendable {
    func start()
    /// Stops and returns the samples, timestamped in seconds since `start()`.
    func stop() -> [(seconds: Double, sample: GPUSample)]
}

/// Samples `nvidia-smi --query-gpu` every `intervalMs` in one long-running
/// process (`-lms`), so sampling costs one process, not one per reading.
public final class NvidiaSMISampler: GPUTelemetrySource, @unchecked Sendable {
    public static let fields = "name,clocks.sm,clocks.mem,power.draw,temperature.gpu,utilization.gpu,memory.used,clocks_event_reasons.active"
    private let executable: String
    private let intervalMs: Int
    private let process = Process()
    private let lock = NSLock()
    private var samples: [(seconds: Double, sample: GPUSample)] = []
    private var header: String?
    private var pending = Data()
    private var started = ContinuousClock.now

    public init(executable: String = ProcessRunner.which("nvidia-smi") ?? "/usr/bin/nvidia-smi", intervalMs: Int = 100) {
        self.executable = executable
        self.intervalMs = intervalMs
    }

    public func start() {
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--query-gpu=\(Self.fields)", "--format=csv", "-i", "0", "-lms", String(intervalMs)]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        started = ContinuousClock.now
        pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in self?.consume(handle.availableData) }
        try? process.run()
    }

    private func consume(_ data: Data) {
        lock.lock(); defer { lock.unlock() }
        pending.append(data)
        while let nl = pending.firstIndex(of: 0x0A) {
            let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
            pending.removeSubrange(pending.startIndex...nl)
            guard let header else { self.header = line; continue }
            if let s = GPUSample.parseCSV(header + "\n" + line).first {
                samples.append((Harness.seconds(ContinuousClock.now - started), s))
            }
        }
    }

    public func stop() -> [(seconds: Double, sample: GPUSample)] {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        lock.lock(); defer { lock.unlock() }
        return samples
    }
}

/// A recorded `--query-gpu` CSV replayed as if sampled every `intervalSeconds`.
public struct RecordedGPUTelemetry: GPUTelemetrySource {
    public let samples: [GPUSample]
    public let intervalSeconds: Double
    public init(csv: String, intervalSeconds: Double = 0.1) {
        samples = GPUSample.parseCSV(csv)
        self.intervalSeconds = intervalSeconds
    }
    public func start() {}
    public func stop() -> [(seconds: Double, sample: GPUSample)] {
        samples.enumerated().map { (Double($0.offset) * intervalSeconds, $0.element) }
    }

    /// The replay an agent was told to use (`ROOST_GPU_TELEMETRY_REPLAY`: a CSV path), if any.
    public static func fromEnvironment() -> RecordedGPUTelemetry? {
        guard let path = ProcessInfo.processInfo.environment["ROOST_GPU_TELEMETRY_REPLAY"], !path.isEmpty,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return RecordedGPUTelemetry(csv: text)
    }
}
