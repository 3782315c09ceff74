import Foundation
import RoostCore

/// Samples frequencies and temperatures on a background thread every 100 ms
/// while the benchmark runs, and CPU time at start and end. Reading a few sysfs
/// files ten times a second costs far less than the 1 % it could distort.
public final class EnvironmentMonitor: @unchecked Sendable {
    private let sensors: Sensors
    private let cpus: [Int]
    private let helpers: [Int32]
    private let interval: Double
    private let lock = NSLock()
    private var frequencies: [Double] = []
    private var temperatures: [Double] = []
    private var running = false
    private var thread: Thread?
    private var startTimes: CPUTimes?
    private var startThrottle: Int?

    /// `helpers`: the engine's other processes, whose CPU time is not outside load.
    public init(cpus: [Int], helpers: [Int32] = [], sensors: Sensors = Sensors(), interval: Double = 0.1) {
        self.cpus = cpus
        self.helpers = helpers
        self.sensors = sensors
        self.interval = interval
    }

    public func start() {
        startTimes = CPUTimes.read(procRoot: sensors.procRoot, helpers: helpers)
        startThrottle = sensors.throttleCount(cpus: cpus)
        sample()
        lock.lock(); running = true; lock.unlock()
        let t = Thread { [weak self] in
            while let self, self.isRunning {
                Thread.sleep(forTimeInterval: self.interval)
                self.sample()
            }
        }
        thread = t
        t.start()
    }

    private var isRunning: Bool { lock.lock(); defer { lock.unlock() }; return running }

    private func sample() {
        let f = cpus.compactMap { sensors.frequencyMHz(cpu: $0) }
        let t = sensors.maxTemperatureC()
        lock.lock()
        if !f.isEmpty { frequencies.append(f.reduce(0, +) / Double(f.count)) }
        if let t { temperatures.append(t) }
        lock.unlock()
    }

    /// Stops sampling and writes what was seen into `environment`.
    public func stop(into environment: inout RunEnvironment) {
        sample()
        lock.lock(); running = false; lock.unlock()
        let end = CPUTimes.read(procRoot: sensors.procRoot, helpers: helpers)
        lock.lock()
        environment.frequencyMHz = SensorSummary(frequencies)
        environment.temperatureC = SensorSummary(temperatures)
        lock.unlock()
        if let s = startTimes, let e = end { environment.otherCPUFraction = CPUTimes.otherFraction(from: s, to: e, cpus: cpus) }
        if let a = startThrottle, let b = sensors.throttleCount(cpus: cpus) { environment.throttleEvents = b - a }
        environment.governor = cpus.first.flatMap { sensors.governor(cpu: $0) }
        environment.memAvailableBytes = sensors.memAvailableBytes()
    }
}
