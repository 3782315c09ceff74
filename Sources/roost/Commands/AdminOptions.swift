import ArgumentParser
import Foundation
import RoostClient
import RoostCore

/// Where the scheduler is and the token to use with it: `$ROOST_TOKEN` or
/// `$ROOST_ADMIN_TOKEN` (any role; the scheduler decides what it may do), else
/// the bootstrap admin token in `$ROOST_HOME/admin.token`; for an https scheduler
/// with a private CA, the CA's certificate (`--ca-cert` or `$ROOST_CA_CERT`).
struct AdminOptions: ParsableArguments {
    @Option(help: "Scheduler URL, http:// or https:// (default: $ROOST_SCHEDULER or http://127.0.0.1:8740).")
    var scheduler: String?
    @Option(name: .customLong("ca-cert"), help: ArgumentHelp(
        "PEM file of the CA that signed an https scheduler's certificate (default: $ROOST_CA_CERT, else the system trust store).",
        valueName: "file"))
    var caCert: String?

    func client() throws -> RoostClient {
        let env = ProcessInfo.processInfo.environment
        let url = scheduler ?? env["ROOST_SCHEDULER"] ?? "http://127.0.0.1:8740"
        let home = RoostHome()
        guard let token = env["ROOST_TOKEN"] ?? env["ROOST_ADMIN_TOKEN"] ?? RoostHome.readTrimmed(home.adminTokenFile), !token.isEmpty else {
            throw RoostError.notFound("no admin credential: set ROOST_TOKEN or run where $ROOST_HOME/admin.token is (\(home.adminTokenFile.path))")
        }
        return try RoostClient(scheduler: url, credential: token, caCertificate: CACertificate.path(flag: caCert, scheduler: url, environment: env))
    }
}

/// Durations like `90s`, `10m`, `1h`, `2d`.
enum DurationParser {
    static func seconds(_ text: String) throws -> Double {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        guard let unit = text.last, let factor = units[unit], let n = Double(text.dropLast()), n > 0 else {
            if let n = Double(text), n > 0 { return n }
            throw RoostError.invalidArgument("duration '\(text)' must look like 90s, 10m, 1h or 2d")
        }
        return n * factor
    }
}
