/// Reads the few `lscpu` fields the probe trusts.
///
/// Only used for recorded machines, where `uname -m` is unavailable and lscpu's
/// `Architecture:` is the one explicit statement of the kernel architecture.
/// Wrapped continuation lines (long `Flags:` values) are ignored: flags come from
/// cpuinfo, which never wraps.
public enum LSCPUParser {
    /// `Architecture:` value, e.g. `aarch64`.
    public static func architecture(_ text: String) -> String? {
        value("Architecture", in: text)
    }

    /// `Model name:` value, e.g. `Cortex-A72`.
    public static func modelName(_ text: String) -> String? {
        value("Model name", in: text)
    }

    /// `CPU(s):` value.
    public static func cpuCount(_ text: String) -> Int? {
        value("CPU(s)", in: text).flatMap { Int($0) }
    }

    private static func value(_ key: String, in text: String) -> String? {
        guard let value = KeyValueLines.first(key, in: text), !value.isEmpty else { return nil }
        return value
    }
}
