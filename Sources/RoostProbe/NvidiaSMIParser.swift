import Foundation
import RoostCore

/// Parses the `nvidia-smi` output formats the agent may see or have recorded.
///
/// The live probe asks for CSV (fast, stable column names), but the XML (`-q -x`) and
/// text (`-q`) reports are the only ones that carry the CUDA version, and recorded
/// machines may have any of them. All parsers return one `GPUDevice` per physical GPU;
/// MIG slices are skipped because benchmarks are scheduled per card.
public enum NvidiaSMIParser {
    /// `--query-gpu` CSV, with or without a header line and units.
    ///
    /// Columns are read by header name (`name`, `memory.total [MiB]`, `driver_version`);
    /// without a header they are taken to be `ProbeCommand.nvidiaQueryFields`. When there is
    /// no `memory.total` column and `estimateMissingTotal` is set, memory is estimated as
    /// reserved + used + free, which is how the driver defines the total (±1 MiB rounding).
    public static func queryCSV(_ text: String, estimateMissingTotal: Bool = false) -> [GPUDevice] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let first = lines.first else { return [] }
        let firstFields = fields(first).map(columnName)
        let hasHeader = firstFields.contains("name")
        let columns = hasHeader ? firstFields : ProbeCommand.nvidiaQueryFields
        return lines.dropFirst(hasHeader ? 1 : 0).compactMap { line -> GPUDevice? in
            let row = Dictionary(zip(columns, fields(line).map(value)), uniquingKeysWith: { first, _ in first })
            guard let name = row["name"] ?? nil else { return nil }
            var memory = (row["memory.total"] ?? nil).flatMap(mebibytes)
            if memory == nil, estimateMissingTotal {
                let parts = ["memory.reserved", "memory.used", "memory.free"].map { (row[$0] ?? nil).flatMap(mebibytes) }
                if parts.allSatisfy({ $0 != nil }) { memory = parts.reduce(0) { $0 + ($1 ?? 0) } }
            }
            return GPUDevice(name: name, memoryMiB: memory, driverVersion: row["driver_version"] ?? nil)
        }
    }

    /// `nvidia-smi -q -x` XML: `<product_name>`, `<fb_memory_usage><total>`, and the
    /// report-wide `<driver_version>` and `<cuda_version>`.
    public static func xml(_ text: String) -> [GPUDevice] {
        let driver = tag("driver_version", in: text[...])
        let cuda = tag("cuda_version", in: text[...])
        return blocks(of: "gpu", in: text).compactMap { block in
            let own = removing("mig_devices", from: block)
            guard let name = tag("product_name", in: own[...]) else { return nil }
            let memory = blocks(of: "fb_memory_usage", in: own).first
                .flatMap { tag("total", in: $0[...]) }.flatMap(mebibytes)
            return GPUDevice(name: name, memoryMiB: memory, driverVersion: driver, cudaVersion: cuda)
        }
    }

    /// `nvidia-smi -q` text report. A GPU starts at an unindented `GPU <bus id>` line; its
    /// own `FB Memory Usage` is indented four spaces (MIG devices' are deeper).
    public static func text(_ text: String) -> [GPUDevice] {
        var driver: String?
        var cuda: String?
        var gpus: [GPUDevice] = []
        var inFBMemory = false
        for line in text.split(whereSeparator: \.isNewline) {
            let indent = line.prefix { $0 == " " }.count
            let (key, value) = keyValue(line)
            if indent == 0 && line.hasPrefix("GPU ") {
                gpus.append(GPUDevice(name: ""))
                inFBMemory = false
                continue
            }
            if indent == 0 {
                if key == "Driver Version" { driver = value }
                if key == "CUDA Version" { cuda = value }
                continue
            }
            guard !gpus.isEmpty else { continue }
            if indent == 4 { inFBMemory = key == "FB Memory Usage" }
            if key == "Product Name", gpus[gpus.count - 1].name.isEmpty, let value { gpus[gpus.count - 1].name = value }
            if inFBMemory, indent == 8, key == "Total", gpus[gpus.count - 1].memoryMiB == nil {
                gpus[gpus.count - 1].memoryMiB = value.flatMap(mebibytes)
            }
        }
        return gpus.filter { !$0.name.isEmpty }.map { gpu in
            var gpu = gpu
            gpu.driverVersion = driver
            gpu.cudaVersion = cuda
            return gpu
        }
    }

    /// `nvidia-smi --version`: driver and CUDA versions.
    public static func version(_ text: String) -> (driver: String?, cuda: String?) {
        var driver: String?
        var cuda: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let (key, value) = keyValue(line)
            switch key?.lowercased() {
            case "driver version": driver = value
            case "cuda version": cuda = value
            default: break
            }
        }
        return (driver, cuda)
    }

    // MARK: helpers

    /// Leading integer of `81559 MiB` / `81559`; nil for `N/A`.
    static func mebibytes(_ text: String) -> Int? {
        let digits = text.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }
        return digits.isEmpty ? nil : Int(digits)
    }

    private static func fields(_ line: String) -> [String] {
        line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// `memory.total [MiB]` → `memory.total`.
    private static func columnName(_ header: String) -> String {
        let name = header.split(separator: "[", maxSplits: 1).first.map(String.init) ?? header
        return name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// nil for the placeholders nvidia-smi prints for unknown values.
    private static func value(_ field: String) -> String? {
        let placeholders: Set = ["", "N/A", "[N/A]", "[Not Supported]", "Not Supported", "[Unknown Error]"]
        return placeholders.contains(field) ? nil : field
    }

    private static func keyValue(_ line: Substring) -> (String?, String?) {
        guard let colon = line.firstIndex(of: ":") else { return (line.trimmingCharacters(in: .whitespaces), nil) }
        let key = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return (key, value.isEmpty ? nil : self.value(value))
    }

    /// Text of the first `<name>…</name>`; nil when absent or a placeholder.
    private static func tag(_ name: String, in text: Substring) -> String? {
        guard let open = text.range(of: "<\(name)>"),
              let close = text.range(of: "</\(name)>", range: open.upperBound..<text.endIndex) else { return nil }
        return value(text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Contents of each top-level `<name …>…</name>` element (elements of this name do not nest).
    private static func blocks(of name: String, in text: String) -> [String] {
        var result: [String] = []
        var rest = text[...]
        while let open = firstOpening(name, in: rest),
              let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            result.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return result
    }

    /// Range of `<name>` or `<name attr=…>`, but not `<name_suffix>`.
    private static func firstOpening(_ name: String, in text: Substring) -> Range<Substring.Index>? {
        var searchStart = text.startIndex
        while let start = text.range(of: "<\(name)", range: searchStart..<text.endIndex) {
            guard let next = text[start.upperBound...].first else { return nil }
            if next == ">" || next == " " || next == "\t" {
                guard let end = text[start.upperBound...].firstIndex(of: ">") else { return nil }
                return start.lowerBound..<text.index(after: end)
            }
            searchStart = start.upperBound
        }
        return nil
    }

    /// The text with every `<name>…</name>` element cut out.
    private static func removing(_ name: String, from text: String) -> String {
        var result = ""
        var rest = text[...]
        while let open = firstOpening(name, in: rest),
              let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            result += rest[..<open.lowerBound]
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
