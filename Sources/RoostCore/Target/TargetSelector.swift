/// Picks agents by capability: `all`, or comma-separated terms that must all hold.
///
/// Terms: `name=NAME`, `arch=x86_64`, `isa=x86_64-avx2`, `feature=avx512f`,
/// `engine=native`, `cpus>=N`, GPU terms (`gpu=nvidia`, `gpu.name~H100`,
/// `gpu.memory>=40GiB`, `gpu.count>=1`), or `TAG=VALUE` for any tag of the agent.
public struct TargetSelector: Sendable, Equatable, CustomStringConvertible {
    public enum Term: Sendable, Equatable {
        case name(String), arch(String), isa(String), feature(String), engine(String), minCPUs(Int), tag(String, String)
        /// A GPU from this vendor (`nvidia`).
        case gpuVendor(String)
        /// A GPU whose name contains this text, ignoring case.
        case gpuName(String)
        /// A GPU with at least this many bytes of memory.
        case minGPUMemory(UInt64)
        case minGPUs(Int)
    }
    public let terms: [Term]
    public let description: String

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        description = trimmed.isEmpty ? "all" : trimmed
        if trimmed.isEmpty || trimmed == "all" || trimmed == "*" { terms = []; return }
        var terms: [Term] = []
        for raw in trimmed.split(separator: ",") {
            let part = raw.trimmingCharacters(in: .whitespaces)
            if let r = part.range(of: ">=") {
                let key = String(part[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
                let value = String(part[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                switch key {
                case "cpus", "gpu.count":
                    guard let n = Int(value), n >= 0 else { throw RoostError.invalidArgument("bad selector term '\(part)': \(key)>= takes a whole number") }
                    terms.append(key == "cpus" ? .minCPUs(n) : .minGPUs(n))
                case "gpu.memory":
                    guard let bytes = Self.bytes(value) else {
                        throw RoostError.invalidArgument("bad selector term '\(part)': gpu.memory>= takes a size such as 40GiB, 16384MiB or 24GB")
                    }
                    terms.append(.minGPUMemory(bytes))
                default:
                    throw RoostError.invalidArgument("bad selector term '\(part)': only cpus>=N, gpu.count>=N and gpu.memory>=SIZE compare")
                }
                continue
            }
            if let r = part.range(of: "~") {
                let key = String(part[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
                let value = String(part[r.upperBound...]).trimmingCharacters(in: .whitespaces)
                guard key == "gpu.name", !value.isEmpty else {
                    throw RoostError.invalidArgument("bad selector term '\(part)': only gpu.name~TEXT matches by substring")
                }
                terms.append(.gpuName(value)); continue
            }
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty, !kv[1].isEmpty else {
                throw RoostError.invalidArgument("bad selector term '\(part)': expected KEY=VALUE, cpus>=N or 'all'")
            }
            switch kv[0] {
            case "name": terms.append(.name(kv[1]))
            case "arch": terms.append(.arch(kv[1]))
            case "isa": terms.append(.isa(kv[1]))
            case "feature": terms.append(.feature(kv[1].lowercased()))
            case "engine": terms.append(.engine(kv[1]))
            case "gpu": terms.append(.gpuVendor(kv[1].lowercased()))
            case "gpu.name", "gpu.memory", "gpu.count":
                throw RoostError.invalidArgument("bad selector term '\(part)': use gpu.name~TEXT, gpu.memory>=SIZE or gpu.count>=N")
            default: terms.append(.tag(kv[0], kv[1]))
            }
        }
        self.terms = terms
    }

    public func matches(name: String, tags: [String: String], hardware: HardwareProfile) -> Bool {
        terms.allSatisfy { term in
            switch term {
            case .name(let n): n == name
            case .arch(let a): a == hardware.arch
            case .isa(let i): i == IsaLevel(profile: hardware).rawValue
            case .feature(let f): hardware.hasFeature(f)
            case .engine(let e): hardware.engines.contains(e)
            case .minCPUs(let n): hardware.effectiveCPUs >= n
            case .tag(let k, let v): tags[k] == v
            case .gpuVendor(let v): hardware.gpus.contains { $0.vendor == v }
            case .gpuName(let n): hardware.gpus.contains { $0.name.range(of: n, options: .caseInsensitive) != nil }
            case .minGPUMemory(let bytes): (hardware.largestGPUMemoryBytes ?? 0) >= bytes
            case .minGPUs(let n): hardware.gpus.count >= n
            }
        }
    }

    /// "40GiB", "16384MiB", "24GB", "512MB" → bytes; nil for anything else.
    static func bytes(_ text: String) -> UInt64? {
        let units: [(String, Double)] = [("GiB", 1_073_741_824), ("MiB", 1_048_576), ("TiB", 1_099_511_627_776), ("GB", 1e9), ("MB", 1e6), ("TB", 1e12)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let n = Double(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n.isFinite, n >= 0, n * scale < 1.8e19 else { return nil }
            return UInt64(n * scale)
        }
        return nil
    }
}

import Foundation
