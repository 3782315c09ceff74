/// Reads `MemTotal` from `/proc/meminfo`.
///
/// The scheduler refuses jobs whose model plus arena will not fit, so this must be
/// the kernel's figure (usable RAM after firmware carve-outs), not the DIMM size.
public enum MemInfoParser {
    /// `MemTotal` in bytes (the kernel prints kB, meaning KiB); nil when absent.
    public static func totalBytes(_ text: String) -> UInt64? {
        guard let value = KeyValueLines.first("MemTotal", in: text) else { return nil }
        let fields = value.split(whereSeparator: \.isWhitespace)
        guard let number = fields.first.flatMap({ UInt64($0) }) else { return nil }
        let unit = fields.count > 1 ? fields[1].lowercased() : ""
        switch unit {
        case "kb": return number * 1024
        case "mb": return number * 1024 * 1024
        default: return number
        }
    }
}
