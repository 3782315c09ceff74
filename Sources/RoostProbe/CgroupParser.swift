import Foundation

/// Reads the CPU quota a container or systemd slice imposes.
///
/// A container on a 64-core host with `--cpus=2` still sees 64 CPUs in cpuinfo and
/// its affinity mask; only the CFS quota says it gets two CPUs' worth of time, and
/// running 64 benchmark threads against it would measure throttling, not the model.
public enum CgroupParser {
    /// cgroup v2 `cpu.max`: `"150000 100000"` → 1.5 CPUs; `"max 100000"` → nil (unlimited).
    public static func cpuMax(_ text: String) -> Double? {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard let quotaText = fields.first, quotaText != "max", let quota = Double(quotaText) else { return nil }
        let period = fields.count > 1 ? Double(fields[1]) ?? 100_000 : 100_000
        return limit(quota: quota, period: period)
    }

    /// cgroup v1 `cpu.cfs_quota_us` and `cpu.cfs_period_us`: quota `-1` → nil (unlimited).
    public static func cfs(quota quotaText: String, period periodText: String) -> Double? {
        guard let quota = Double(quotaText.trimmingCharacters(in: .whitespacesAndNewlines)),
              let period = Double(periodText.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return limit(quota: quota, period: period)
    }

    /// Cgroup paths of this process from `/proc/self/cgroup`: the v2 path (`0::/x`) and the
    /// v1 path of the controller list containing `cpu` (`4:cpu,cpuacct:/x`).
    public static func selfPaths(_ text: String) -> (v2: String?, v1CPU: (controllers: String, path: String)?) {
        var v2: String?
        var v1: (String, String)?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty {
                v2 = fields[2]
            } else if fields[1].split(separator: ",").contains("cpu") {
                v1 = (fields[1], fields[2])
            }
        }
        return (v2, v1)
    }

    /// The tightest CPU limit visible to this process, walking from its own cgroup up to
    /// the root (a parent's limit binds its children too); nil when unlimited or unknown.
    public static func cpuLimit(from source: any ProbeSource) -> Double? {
        let paths = selfPaths(source.read("/proc/self/cgroup") ?? "")
        var limits: [Double] = []
        // v2: unified hierarchy.
        for dir in ancestors(paths.v2 ?? "/") {
            if let text = source.read("/sys/fs/cgroup\(dir)cpu.max"), let limit = cpuMax(text) { limits.append(limit) }
        }
        // v1: the cpu controller, mounted as `cpu`, `cpu,cpuacct` or under its list name.
        let mounts = ["cpu", "cpu,cpuacct", "cpuacct,cpu"] + (paths.v1CPU.map { [$0.controllers] } ?? [])
        for mount in Set(mounts).sorted() {
            for dir in ancestors(paths.v1CPU?.path ?? "/") {
                let base = "/sys/fs/cgroup/\(mount)\(dir)"
                if let quota = source.read(base + "cpu.cfs_quota_us"), let period = source.read(base + "cpu.cfs_period_us"),
                   let limit = cfs(quota: quota, period: period) {
                    limits.append(limit)
                }
            }
        }
        return limits.min()
    }

    private static func limit(quota: Double, period: Double) -> Double? {
        guard quota > 0, period > 0 else { return nil }
        return quota / period
    }

    /// `/a/b` → `["/a/b/", "/a/", "/"]`: directory prefixes to try, own cgroup first.
    /// Inside a container the path is usually `/` (namespaced), which yields just `/`.
    static func ancestors(_ path: String) -> [String] {
        var parts = path.split(separator: "/").map(String.init)
        var result: [String] = []
        while true {
            result.append(parts.isEmpty ? "/" : "/" + parts.joined(separator: "/") + "/")
            if parts.isEmpty { break }
            parts.removeLast()
        }
        return result
    }
}
