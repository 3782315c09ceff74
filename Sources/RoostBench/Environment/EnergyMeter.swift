import Foundation
import RoostCore

/// Energy over a run: GPU power sampled and integrated on GPU engines (the
/// sampler also gives `RunEnvironment.gpu`), RAPL package energy on CPUs where
/// readable. The counters cover the whole measure call (warm-up included: the
/// same work), so joules are average power × the measured window's seconds,
/// divided by its inferences. Nothing readable leaves `energy` nil.
public final class EnergyMeter: @unchecked Sendable {
    private let gpu: (any GPUTelemetrySource)?
    private let rapl: RAPLCounter
    private var raplStart: RAPLCounter.Reading?
    private let clock = ContinuousClock()
    private var started = ContinuousClock.now

    public init(gpu: (any GPUTelemetrySource)?, rapl: RAPLCounter = RAPLCounter()) {
        self.gpu = gpu
        self.rapl = rapl
    }

    public func start() {
        started = clock.now
        if let gpu { gpu.start() } else { raplStart = rapl.read() }
    }

    public func stop(into environment: inout RunEnvironment, inferences: Int, measuredSeconds: Double) {
        let elapsed = Harness.seconds(clock.now - started)
        if let gpu {
            let samples = gpu.stop()
            if !samples.isEmpty { environment.gpu = GPUSample.summarize(samples) }
            if let joules = GPUSample.energyJoules(samples), let span = samples.last.map({ $0.seconds - samples[0].seconds }), span > 0 {
                environment.energy = EnergyReading(joules: joules / span * measuredSeconds, inferences: inferences,
                                                   source: "nvidia-smi-power", seconds: measuredSeconds)
            }
        } else if let a = raplStart, let b = rapl.read(), let joules = RAPLCounter.joules(from: a, to: b), elapsed > 0 {
            environment.energy = EnergyReading(joules: joules / elapsed * measuredSeconds, inferences: inferences,
                                               source: rapl.source(a), seconds: measuredSeconds)
        }
    }
}
