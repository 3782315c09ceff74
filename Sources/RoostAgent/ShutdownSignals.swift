import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a `StopSignal` so the agent can hand its job
/// back and exit 0 instead of dying mid-benchmark. Keep the value alive for as
/// long as the signals should be caught.
public final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]

    public init(_ stop: StopSignal, signals: [Int32] = [SIGTERM, SIGINT]) {
        sources = signals.map { sig in
            // The default action would kill us before the handler runs.
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.trigger() }
            source.resume()
            return source
        }
    }

    deinit { for s in sources { s.cancel() } }
}
