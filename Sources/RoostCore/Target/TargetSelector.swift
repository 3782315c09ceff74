/// Picks agents by capability: `all`, or comma-separated terms that must all hold.
///
/// Terms: `name=NAME`, `arch=x86_64`, `isa=x86_64-avx2`, `feature=avx512f`,
/// `engine=native`, `cpus>=N`, or `TAG=VALUE` for any tag of the agent.
public struct TargetSelector: Sendable, Equatable, CustomStringConvertible {
    public enum Term: Sendable, Equatable {
        case name(String), arch(String), isa(String), feature(String), engine(String), minCPUs(Int), tag(String, String)
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
                let key = String(part[..<r.lowerBound]), value = String(part[r.upperBound...])
                guard key == "cpus", let n = Int(value) else { throw RoostError.invalidArgument("bad selector term '\(part)': only cpus>=N compares") }
                terms.append(.minCPUs(n)); continue
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
            }
        }
    }
}

import Foundation
