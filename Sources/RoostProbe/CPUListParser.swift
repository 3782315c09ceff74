/// The kernel's CPU list syntax (`0-3,5,8-11`), used by `/sys/.../cpu/online`,
/// `Cpus_allowed_list`, cpusets and `taskset -c`, and by the agent's `--cpus` flag.
public enum CPUListParser {
    /// Sorted, unique CPU ids; malformed pieces are skipped, so an empty or garbage
    /// string yields `[]`. Accepts stride ranges (`0-7:2`) as the kernel does.
    public static func parse(_ text: String) -> [Int] {
        var ids = Set<Int>()
        for piece in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            let rangeAndStride = piece.split(separator: ":", maxSplits: 1)
            let stride = rangeAndStride.count == 2 ? Int(rangeAndStride[1]) ?? 0 : 1
            guard stride > 0 else { continue }
            let bounds = rangeAndStride[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = Int(bounds[0]), low >= 0 else { continue }
            let high = bounds.count == 2 ? Int(bounds[1]) : low
            guard let high, high >= low, high - low < 1 << 20 else { continue }
            ids.formUnion(Swift.stride(from: low, through: high, by: stride))
        }
        return ids.sorted()
    }

    /// The shortest list text for a set of ids: `[0,1,2,3,5]` → `"0-3,5"`.
    public static func format(_ ids: [Int]) -> String {
        let sorted = Set(ids).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
