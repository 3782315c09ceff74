import Foundation

/// Splits `key: value` text as found in /proc/cpuinfo, /proc/meminfo and lscpu.
///
/// Splits on the FIRST colon (values such as `vmx flags` or timestamps may hold more)
/// and trims both sides, because some recordings turned the kernel's TABs into spaces.
enum KeyValueLines {
    /// `(key, value)` pairs in order; lines without a colon are returned with a nil key
    /// so callers can notice record separators (blank lines) or continuation lines.
    static func parse(_ text: String) -> [(key: String?, value: String)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard let colon = line.firstIndex(of: ":") else {
                return (nil, line.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespacesAndNewlines)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            return (key, value)
        }
    }

    /// First value for `key` (case-sensitive: cpuinfo has both `model` and `Model`).
    static func first(_ key: String, in text: String) -> String? {
        parse(text).first { $0.key == key }?.value
    }
}
