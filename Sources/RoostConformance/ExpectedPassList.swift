import Foundation
import RoostCore

/// The committed list of cases that must keep passing
/// (`Tests/Conformance/expected-pass.txt`): one case name per line, sorted,
/// `#` starting a comment. A listed case that no longer passes is a regression.
public struct ExpectedPassList: Sendable, Equatable {
    public var names: [String]

    public init(names: [String]) { self.names = Array(Set(names)).sorted() }

    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw RoostError.io("cannot read the expected-pass list \(url.path): \(error.localizedDescription)")
        }
        self.init(parsing: text)
    }

    public init(parsing text: String) {
        self.init(names: text.split(whereSeparator: \.isNewline).compactMap { line in
            let name = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            return name.isEmpty ? nil : name
        })
    }

    public static let header = """
        # ONNX backend node tests that Roost passes; `make conformance` fails if one of them stops passing.
        # Regenerate with: roost-conformance DIR --expected Tests/Conformance/expected-pass.txt --update-expected
        """

    public var text: String { ([Self.header] + names).joined(separator: "\n") + "\n" }

    public func write(to url: URL) throws {
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
            throw RoostError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Listed cases that did not pass in `report`, with why. When `filter` limited
    /// the run, only listed names containing it are considered.
    public func regressions(in report: ConformanceReport, filter: String? = nil) -> [(name: String, reason: String)] {
        let byName = Dictionary(report.results.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return names.filter { filter.map($0.contains) ?? true }.compactMap { name in
            switch byName[name]?.outcome {
            case .passed?: return nil
            case .failed(let why)?: return (name, why)
            case .skipped(let reason)?: return (name, "now skipped: \(reason.message)")
            case nil: return (name, "no such case in the test data")
            }
        }
    }

    /// The list after a run: the passing cases, plus, when `filter` limited the
    /// run, the listed cases it did not cover.
    public func updated(with report: ConformanceReport, filter: String? = nil) -> ExpectedPassList {
        let kept = filter.map { f in names.filter { !$0.contains(f) } } ?? []
        return ExpectedPassList(names: kept + report.passedNames)
    }
}
