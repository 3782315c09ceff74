import Foundation

/// The end of a child process's log file, for error messages: what a crashed
/// worker or reference worker said last.
public enum TextTail {
    public static func of(_ file: URL, limit: Int = 800) -> String {
        guard let data = try? Data(contentsOf: file) else { return "" }
        return String(decoding: data.suffix(limit), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
