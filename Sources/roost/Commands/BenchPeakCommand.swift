import ArgumentParser
import Foundation
import RoostAgentCLI
import RoostCore
import RoostProbe
import RoostRuntime

/// `roost bench peak`: this machine's measured FMA peak, per thread count — the
/// limit `make bench` reads its GFLOP/s against.
struct BenchPeakCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peak", abstract: "Measure this machine's single-precision FMA peak.")
    @Option(help: "Thread counts to measure, comma-separated.") var threads = "1"
    @Option(help: "Seconds per measurement (the best of three is kept).") var seconds = 0.5
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try runReportingErrors {
            let counts = try threads.split(separator: ",").map { part -> Int in
                guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n > 0, n <= 256 else {
                    throw RoostError.invalidArgument("--threads takes positive counts up to 256, e.g. 1,2")
                }
                return n
            }
            guard seconds > 0, seconds <= 60 else { throw RoostError.invalidArgument("--seconds must be in (0, 60]") }
            let isa = IsaLevel(profile: HardwareProbe().probe())
            struct Row: Encodable { var threads: Int; var gflops: Double }
            let rows = counts.map { n in
                Row(threads: n, gflops: (0..<3).map { _ in MachinePeak.flops(isa: isa, threads: n, seconds: seconds) }.max()! / 1e9)
            }
            if json {
                struct Out: Encodable { var isa: String; var peaks: [Row] }
                print(CanonicalJSON.pretty(Out(isa: isa.rawValue, peaks: rows)))
            } else {
                for r in rows { print("\(isa.rawValue) \(r.threads) thread(s): \(String(format: "%.1f", r.gflops)) GFLOP/s FMA peak") }
            }
        }
    }
}
