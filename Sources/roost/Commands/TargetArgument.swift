import Foundation
import RoostCore
import RoostProbe

/// `--target`: a named target (`x86_64-avx2`, `x86_64-avx512@2`, …), `host`, or a
/// JSON file written by `roost agent probe --json`.
enum TargetArgument {
    static func resolve(_ text: String) throws -> TargetSpec {
        if text == "host" { return TargetSpec(hardware: HardwareProbe().probe()) }
        if text.hasSuffix(".json") || FileManager.default.fileExists(atPath: text) {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: text)) } catch {
                throw RoostError.io("cannot read target file \(text): \(error.localizedDescription)")
            }
            do { return TargetSpec(hardware: try CanonicalJSON.decode(HardwareProfile.self, from: data)) } catch {
                throw RoostError.invalidArgument("\(text) is not a hardware profile from 'roost agent probe --json': \(error)")
            }
        }
        return try TargetSpec(named: text)
    }

    /// `NAME=1x3x224x224` → ("NAME", [1, 3, 224, 224]).
    static func inputShapes(_ raw: [String]) throws -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for item in raw {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let dims = parts.count == 2 ? parts[1].split(separator: "x").map { Int($0) } : []
            guard parts.count == 2, !parts[0].isEmpty, !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw RoostError.invalidArgument("--input-shape '\(item)' must look like NAME=1x3x224x224")
            }
            out[parts[0]] = dims.compactMap { $0 }
        }
        return out
    }
}
