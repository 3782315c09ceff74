import Foundation
import RoostCore
import RoostProbe

/// True when the shared probe fixtures (recordings from real machines) can be found.
let fixturesAvailable = Fixtures.root != nil

/// Locates `shared/probe-fixtures` and probes a recorded machine from it.
///
/// Search order: `$ROOST_SHARED/probe-fixtures`, then for every folder above this file
/// (as written and with symlinks resolved) that holds a `Package.swift`, its sibling
/// `../shared/probe-fixtures` and its child `shared/probe-fixtures`.
enum Fixtures {
    static let root: String? = locate()

    static func source(_ machine: String) -> FixtureSource {
        FixtureSource(directory: (root ?? "/nonexistent") + "/" + machine)
    }

    static func profile(_ machine: String) -> HardwareProfile {
        HardwareProbe(source: source(machine)).probe()
    }

    private static func locate(file: String = #filePath) -> String? {
        let fm = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
        }
        if let shared = ProcessInfo.processInfo.environment["ROOST_SHARED"], !shared.isEmpty {
            let candidate = shared + "/probe-fixtures"
            if isDirectory(candidate) { return candidate }
        }
        let start = URL(fileURLWithPath: file)
        for origin in [start, start.resolvingSymlinksInPath()] {
            var dir = origin.deletingLastPathComponent()
            while dir.path != "/" && !dir.path.isEmpty {
                if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                    for candidate in [dir.deletingLastPathComponent().appendingPathComponent("shared/probe-fixtures"),
                                      dir.appendingPathComponent("shared/probe-fixtures")]
                    where isDirectory(candidate.path) {
                        return candidate.standardizedFileURL.path
                    }
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }
}

/// In-memory `ProbeSource` for unit tests that need odd inputs no fixture has.
struct MapSource: ProbeSource {
    var files: [String: String] = [:]
    var directories: [String: [String]] = [:]
    var commands: [ProbeCommand: String] = [:]
    var cpus: [Int] = []

    func read(_ path: String) -> String? { files[path] }
    func list(_ path: String) -> [String] { directories[path] ?? [] }
    func run(_ command: ProbeCommand) -> String? { commands[command] }
    func affinity() -> [Int] { cpus }
}
