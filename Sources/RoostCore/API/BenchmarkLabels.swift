import Foundation

/// The rules for benchmark labels (`--label key=value`), shared by the CLI,
/// which refuses bad ones before uploading anything, and the scheduler, which
/// refuses them from any client. Keys are short identifiers so a label can name
/// a baseline on the command line (`--baseline branch=main`); values are free text.
public enum BenchmarkLabels {
    public static let maxCount = 32
    public static let maxKeyLength = 64
    public static let maxValueLength = 256

    /// `key=value` → (key, value); the first `=` splits.
    public static func parse(_ text: String) throws -> (key: String, value: String) {
        guard let eq = text.firstIndex(of: "=") else {
            throw RoostError.invalidArgument("label '\(text)' must be key=value")
        }
        let key = String(text[..<eq]), value = String(text[text.index(after: eq)...])
        try check(key: key, value: value)
        return (key, value)
    }

    /// Repeated `key=value` arguments to one dictionary; a key given twice is an error.
    public static func parse(all texts: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for text in texts {
            let (key, value) = try parse(text)
            guard out[key] == nil else { throw RoostError.invalidArgument("label '\(key)' is given twice") }
            out[key] = value
        }
        try validate(out)
        return out
    }

    public static func validate(_ labels: [String: String]) throws {
        guard labels.count <= maxCount else { throw RoostError.invalidArgument("at most \(maxCount) labels per benchmark") }
        for (key, value) in labels { try check(key: key, value: value) }
    }

    static func check(key: String, value: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/")
        guard !key.isEmpty, key.count <= maxKeyLength, key.allSatisfy(allowed.contains) else {
            throw RoostError.invalidArgument("label key '\(key)' must be 1 to \(maxKeyLength) characters of letters, digits, '.', '_', '-' and '/'")
        }
        guard value.count <= maxValueLength, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RoostError.invalidArgument("label '\(key)' must have a value of at most \(maxValueLength) characters without control characters")
        }
    }

    /// `branch=main, commit=abc123`, keys sorted; empty for none.
    public static func text(_ labels: [String: String]?) -> String {
        (labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}
