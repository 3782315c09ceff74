import Foundation

/// `--format json`: a `ReportDocument`, pretty-printed with sorted keys so
/// diffs between runs are readable. The shape is `docs/report.schema.json`.
public enum JSONRenderer {
    public static func render(_ reports: [ModelReport]) -> String {
        let document = ReportDocument(reports: reports, generatedAt: reports.map(\.generatedAt).max() ?? Date(timeIntervalSince1970: 0))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // The builder keeps every number finite; should one slip through, it becomes a string the schema rejects
        // rather than an encoder failure that would print nothing.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
        } catch {
            return "{\"error\": \"could not encode the report: \(String(describing: error).replacingOccurrences(of: "\"", with: "'"))\"}\n"
        }
    }

    /// Reads a rendered document back (tests, tools).
    public static func decode(_ text: String) throws -> ReportDocument {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ReportDocument.self, from: Data(text.utf8))
    }
}
