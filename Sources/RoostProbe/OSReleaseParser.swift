import Foundation

/// Reads `PRETTY_NAME` from `/etc/os-release` for reports ("Debian GNU/Linux 12 (bookworm)").
public enum OSReleaseParser {
    /// `PRETTY_NAME`, unquoted; falls back to `NAME VERSION_ID`; nil when neither exists.
    public static func prettyName(_ text: String) -> String? {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            let key = String(line[..<equals]).trimmingCharacters(in: .whitespaces)
            values[key] = unquote(String(line[line.index(after: equals)...]))
        }
        if let pretty = values["PRETTY_NAME"], !pretty.isEmpty { return pretty }
        let fallback = [values["NAME"], values["VERSION_ID"]].compactMap { $0 }.joined(separator: " ")
        return fallback.isEmpty ? nil : fallback
    }

    /// Shell-style value: strips matching outer quotes and backslash escapes.
    private static func unquote(_ raw: String) -> String {
        var value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    }
}
